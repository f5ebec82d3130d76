/** The pages a person uses in the browser, rendered on the server with Thymeleaf. */
package dev.nightshift.web.ui;
