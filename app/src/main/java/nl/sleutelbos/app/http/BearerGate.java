package nl.sleutelbos.app.http;

import static java.util.Objects.requireNonNull;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Set;
import nl.sleutelbos.identity.AuthenticationException;
import nl.sleutelbos.identity.Authenticator;
import nl.sleutelbos.identity.Subject;
import nl.sleutelbos.ngsild.ErrorType;
import nl.sleutelbos.ngsild.Json;
import nl.sleutelbos.ngsild.NgsiLdException;

/**
 * The bearer-token check (RFC 6750) in front of every router. Default deny: every path needs a
 * valid token except the listed public paths (health, discovery, JWKS, the token endpoint) and
 * public prefixes (the web UI's static files). An admitted request carries its {@link Subject}
 * in the request context, where {@link Exchange#subject()} — and later the PEP — reads it.
 */
public final class BearerGate {
  static final String REALM = "sleutelbos";

  private final Authenticator authenticator;
  private final Set<String> publicPaths;
  private final List<String> publicPrefixes;

  /**
   * @param publicPaths exact raw paths served without a token
   * @param publicPrefixes path prefixes (ending in {@code /}) served without a token
   */
  public BearerGate(Authenticator authenticator, Set<String> publicPaths, List<String> publicPrefixes) {
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
    this.publicPaths = Set.copyOf(publicPaths);
    this.publicPrefixes = List.copyOf(publicPrefixes);
    for (String prefix : this.publicPrefixes) {
      if (!prefix.endsWith("/")) {
        throw new IllegalArgumentException("public prefix must end in '/': " + prefix);
      }
    }
  }

  /** Whether the path is served without a token. */
  public boolean isPublic(String rawPath) {
    String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
    if (publicPaths.contains(path)) {
      return true;
    }
    for (String prefix : publicPrefixes) {
      if (rawPath.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Admits the request (recording its subject) or answers it with 401/400 and a
   * {@code WWW-Authenticate} challenge.
   *
   * @return whether the request may go on to the routers
   */
  public boolean admit(ServerRequest req, ServerResponse res, String rawPath) {
    if (isPublic(rawPath)) {
      return true;
    }
    try {
      Subject subject = authenticator.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
      req.context().register(subject);
      return true;
    } catch (AuthenticationException e) {
      res.status(Status.create(e.status()));
      res.headers().set(HeaderNames.WWW_AUTHENTICATE, e.challenge(REALM));
      res.headers().set(HeaderNames.CONTENT_TYPE, "application/json");
      ErrorType type = e.status() == 400 ? ErrorType.BAD_REQUEST_DATA : ErrorType.UNAUTHORIZED;
      res.send(Json.writeBytes(Problems.body(new NgsiLdException(type, e.getMessage()))));
      return false;
    }
  }
}
