package dev.flushkata.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A backend that answers every request with the same raw bytes, for responses HttpServer will not write. */
public final class ScriptedBackend implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread acceptor;
    private final BlockingQueue<String> requestHeads = new LinkedBlockingQueue<>();

    private ScriptedBackend(String response) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        acceptor = new Thread(() -> serve(bytes), "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every connection with response, then closes it. */
    public static ScriptedBackend answering(String response) throws IOException {
        return new ScriptedBackend(response);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** The request heads received so far, oldest first. */
    public BlockingQueue<String> requestHeads() {
        return requestHeads;
    }

    private void serve(byte[] response) {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout((int) Deadlines.FAULT_FREE.toMillis());
                requestHeads.add(readHead(s.getInputStream()));
                OutputStream out = s.getOutputStream();
                out.write(response);
                out.flush();
            } catch (IOException e) {
                // closed by close(), or a client that went away: take the next one
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l = RawHttp.line(in); l != null && !l.isEmpty(); l = RawHttp.line(in)) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
