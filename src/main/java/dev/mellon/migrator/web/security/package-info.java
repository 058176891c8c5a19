/**
 * Who may call what: bearer tokens configured as SHA-256 hashes, each with roles, checked by Quarkus Security
 * ({@code @RolesAllowed}) through our own authentication mechanism and identity provider. Roles nest: an admin is a
 * deployer and a reader, and every role is a viewer.
 */
package dev.mellon.migrator.web.security;
