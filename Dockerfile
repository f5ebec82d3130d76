# Multi-stage build of the runnable Nightshift jar.
#   docker build -t nightshift .
#   docker run -p 8080:8080 -v nightshift:/data -e NIGHTSHIFT_ADMIN_PASSWORD=change-me nightshift

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY experiments/pom.xml experiments/
COPY agent/pom.xml agent/
COPY scheduler/pom.xml scheduler/
COPY web/pom.xml web/
# The benchmarks are a module of the reactor too; the image builds only the server (-pl web -am).
COPY bench/pom.xml bench/
# Dependencies first, so that a source change does not download them again.
RUN ./mvnw -B -ntp -q -pl web -am dependency:go-offline -DexcludeReactor=true || true
COPY db db
COPY experiments experiments
COPY agent agent
COPY scheduler scheduler
COPY web web
RUN ./mvnw -B -ntp -q -DskipTests -pl web -am package

FROM eclipse-temurin:17-jre
# git for the managed repositories, bubblewrap for the sandbox, python3 for the example training programs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git bubblewrap python3 util-linux \
 && rm -rf /var/lib/apt/lists/*
# The embedded PostgreSQL refuses to run as root; the server runs as an ordinary user.
RUN useradd --create-home --uid 1000 nightshift && mkdir /data && chown nightshift /data
USER nightshift
ENV NIGHTSHIFT_HOME=/data
VOLUME /data
WORKDIR /app
COPY --from=build /src/web/target/nightshift.jar /app/nightshift.jar
COPY --chown=nightshift examples /app/examples
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["java", "-jar", "/app/nightshift.jar"]
