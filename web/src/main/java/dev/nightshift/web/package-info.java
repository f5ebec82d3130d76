/** The web module: the HTTP API, security, and the pages a person uses in the browser. */
package dev.nightshift.web;
