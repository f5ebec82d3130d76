/**
 * The JSON API of SPEC section 8: thin controllers that turn requests into use-case calls and entities into
 * view records, and one advice that renders every failure as {@code application/problem+json}.
 */
package dev.nightshift.web.api;
