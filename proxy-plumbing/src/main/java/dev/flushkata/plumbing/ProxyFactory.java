package dev.flushkata.plumbing;

import com.sun.net.httpserver.HttpHandler;
import java.time.Duration;

/** Makes a lesson's proxy handler; every lesson's ReverseProxy constructor has this shape. */
@FunctionalInterface
public interface ProxyFactory {

    HttpHandler create(BackendClient backend, Duration flushInterval, ProxyStats stats);
}
