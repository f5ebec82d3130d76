/**
 * What every state machine shares: a transition table per machine, the error for an illegal move, the
 * event published on each move, and the append-only history those events are written to.
 */
package dev.nightshift.experiments.lifecycle;
