/**
 * Who may do what: accounts with hashed passwords and one role each (VIEWER, REVIEWER, ADMIN), HTTP Basic
 * for the API, form login with CSRF protection for the browser, and the first admin account.
 */
package dev.nightshift.web.security;
