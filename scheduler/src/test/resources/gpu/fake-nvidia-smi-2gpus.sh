#!/bin/sh
# A stand-in for nvidia-smi that reports two GPUs, for scheduler tests that put
# it early on PATH (copy or link it as "nvidia-smi"). It answers:
#   nvidia-smi --query-gpu=<fields> --format=csv[,noheader][,nounits]
#       fields: index, name, memory.total, memory.used, memory.free,
#               utilization.gpu, temperature.gpu, power.draw, uuid (any order;
#               others print [N/A]; GPU 0 reports no power draw: [N/A])
#   nvidia-smi -L
#   nvidia-smi            (a short plain listing)
# FAKE_NVIDIA_SMI_MODE=no-devices prints "No devices were found" (exit 6);
# FAKE_NVIDIA_SMI_MODE=no-driver prints the driver failure message (exit 9).
# FAKE_NVIDIA_SMI_USED="a,b" sets memory.used (MiB) of GPU 0 and 1.

case "${FAKE_NVIDIA_SMI_MODE:-}" in
  no-devices) echo "No devices were found"; exit 6 ;;
  no-driver)
    echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."
    echo
    exit 9 ;;
esac

USED0=$(echo "${FAKE_NVIDIA_SMI_USED:-0,1024}" | cut -d, -f1)
USED1=$(echo "${FAKE_NVIDIA_SMI_USED:-0,1024}" | cut -d, -f2)

field() { # field <gpu> <name> <units:yes|no>
  if [ "$1" = 0 ]; then
    name="NVIDIA H100 80GB HBM3"; total=81559; used=$USED0; util=0; temp=34; power="[N/A]"
    uuid=GPU-00000000-0000-4000-8000-000000000000
  else
    name="NVIDIA H100 80GB HBM3"; total=81559; used=$USED1; util=12; temp=41; power=71.53
    uuid=GPU-11111111-1111-4111-8111-111111111111
  fi
  mib=""; pct=""; watt=""
  [ "$3" = yes ] && { mib=" MiB"; pct=" %"; watt=" W"; }
  case "$2" in
    index) echo "$1" ;;
    name) echo "$name" ;;
    uuid) echo "$uuid" ;;
    memory.total) echo "$total$mib" ;;
    memory.used) echo "$used$mib" ;;
    memory.free) echo "$((total - used))$mib" ;;
    utilization.gpu) echo "$util$pct" ;;
    temperature.gpu) echo "$temp" ;;
    power.draw) case "$power" in \[*) echo "$power" ;; *) echo "$power$watt" ;; esac ;;
    *) echo "[N/A]" ;;
  esac
}

query=""; format=""; list=no
for arg in "$@"; do
  case "$arg" in
    --query-gpu=*) query=${arg#--query-gpu=} ;;
    --format=*) format=${arg#--format=} ;;
    -L|--list-gpus) list=yes ;;
    *) echo "fake nvidia-smi: unsupported argument: $arg" >&2; exit 2 ;;
  esac
done

if [ "$list" = yes ]; then
  echo "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-4000-8000-000000000000)"
  echo "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-11111111-1111-4111-8111-111111111111)"
  exit 0
fi

if [ -n "$query" ]; then
  units=yes; header=yes
  case ",$format," in *,nounits,*) units=no ;; esac
  case ",$format," in *,noheader,*) header=no ;; esac
  fields=$(echo "$query" | tr ',' ' ')
  if [ "$header" = yes ]; then
    line=""
    for f in $fields; do
      h=$f
      if [ "$units" = yes ]; then
        case "$f" in memory.*) h="$f [MiB]" ;; utilization.*) h="$f [%]" ;; power.*) h="$f [W]" ;; esac
      fi
      line="${line:+$line, }$h"
    done
    echo "$line"
  fi
  for gpu in 0 1; do
    line=""
    for f in $fields; do line="${line:+$line, }$(field $gpu "$f" $units)"; done
    echo "$line"
  done
  exit 0
fi

cat <<PLAIN
+-----------------------------------------------------------------------------+
| fake nvidia-smi: 2 GPUs                                                     |
|   0  NVIDIA H100 80GB HBM3   ${USED0}MiB / 81559MiB
|   1  NVIDIA H100 80GB HBM3   ${USED1}MiB / 81559MiB
+-----------------------------------------------------------------------------+
PLAIN
