package io.rollforward.proxy.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain socket to the proxy, for bytes no HTTP client library would send. */
final class RawClient implements AutoCloseable {
    private final Socket socket;

    RawClient(InetSocketAddress proxy) throws IOException {
        socket = new Socket();
        socket.connect(proxy, 5000);
        socket.setSoTimeout(10_000);
    }

    RawClient send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads until the proxy closes the connection (or 10 s pass: a test failure then). */
    byte[] readToClose() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("proxy did not close the connection; got so far: "
                    + out.toString(StandardCharsets.ISO_8859_1), e);
        } catch (IOException reset) {
            // a reset after the reply still counts as closed; what arrived before it is kept
        }
        return out.toByteArray();
    }

    /** Reads exactly one response framed by Content-Length or chunked (the connection stays open). */
    HttpResponses.Response readOne() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a full response: " + out.toString(StandardCharsets.ISO_8859_1));
            }
            out.write(b);
            String s = out.toString(StandardCharsets.ISO_8859_1);
            int headEnd = s.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                int cl = 0;
                boolean chunked = false;
                for (String line : s.substring(0, headEnd).split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        cl = Integer.parseInt(line.substring(15).trim());
                    }
                    chunked |= line.equalsIgnoreCase("transfer-encoding: chunked");
                }
                if (chunked) {
                    readChunkedBody(in, out);
                } else {
                    out.write(in.readNBytes(cl));
                }
                return HttpResponses.parse(out.toByteArray()).get(0);
            }
        }
    }

    /** Copies chunks up to and including the last chunk and the empty line after it (no trailers). */
    private static void readChunkedBody(InputStream in, ByteArrayOutputStream out) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                if (b == '\n') {
                    break;
                }
                line.append((char) b);
            }
            if (b < 0) {
                throw new IOException("closed inside a chunked body: " + out.toString(StandardCharsets.ISO_8859_1));
            }
            int size = Integer.parseInt(line.toString().trim(), 16);
            out.write(in.readNBytes(size + 2)); // the data and its CRLF, or the final CRLF
            if (size == 0) {
                return;
            }
        }
    }

    boolean closedByPeer() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
