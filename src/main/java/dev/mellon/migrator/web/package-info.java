/**
 * What the service says on the wire, shared by its two faces: the REST layer ({@code api}, {@code studio}) and the
 * command line ({@code cli}, whose {@code --json} prints the REST answers). Holds the response records, the apply
 * request (the one definition of the apply options both faces bind), the RFC 9457 problem model with the mappers from
 * every engine failure to a problem, and who may call what ({@code web.security}). Depends on the engine, never the
 * other way.
 */
package dev.mellon.migrator.web;
