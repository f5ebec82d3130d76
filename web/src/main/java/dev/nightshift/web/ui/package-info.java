/**
 * The pages a person uses in the browser, rendered on the server with Thymeleaf: the dashboard, the experiment,
 * run and proposal pages, and their forms under {@code /ui/actions/} (REVIEWER and up). Controllers are thin;
 * small query classes here turn the database into view records (paging, filtering and sorting in SQL), and
 * htmx swaps single fragments of the same URLs for the live parts.
 */
package dev.nightshift.web.ui;
