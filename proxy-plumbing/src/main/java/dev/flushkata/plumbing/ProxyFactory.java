package dev.flushkata.plumbing;

import jakarta.servlet.http.HttpServlet;
import java.time.Duration;

/** Makes a lesson's proxy servlet; every lesson's ReverseProxy constructor has this shape. */
@FunctionalInterface
public interface ProxyFactory {

    HttpServlet create(BackendClient backend, Duration flushInterval, ProxyStats stats);
}
