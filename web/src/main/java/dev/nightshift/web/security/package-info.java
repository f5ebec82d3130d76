/**
 * Who may do what: accounts with hashed passwords and one role each (VIEWER, REVIEWER, ADMIN), HTTP Basic
 * for the API, form login with CSRF protection for the browser, the first admin account, and the throttle
 * that slows down guessed passwords.
 */
package dev.nightshift.web.security;
