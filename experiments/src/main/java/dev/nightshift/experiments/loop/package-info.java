/**
 * Loops: an overnight session on one experiment with its approval policy, stop conditions and lookahead.
 * Its state lives in the database so that a restarted server carries on.
 */
package dev.nightshift.experiments.loop;
