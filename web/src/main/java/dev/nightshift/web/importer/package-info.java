/**
 * Registers an experiment from a repository laid out as Karpathy's autoresearch lays one out ({@code program.md},
 * {@code train.py}, {@code prepare.py}, {@code results.tsv}), without a hand-written specification: the
 * specification is read off the repository for a person to review, then saved with the results the repository
 * already has as the experiment's history. The API and the home page's form both come here.
 */
package dev.nightshift.web.importer;
