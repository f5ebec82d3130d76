/** The demo experiment the quick start registers, so a new user has something to approve at once. */
package dev.nightshift.web.demo;
