package dev.switchboard.llm.openai;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/**
 * Upstream sockets that read in blocking mode whatever timeouts were used on them before. A plain JDK socket that is
 * connected or read once with a timeout switches to non-blocking mode for good, and from then on every read is a
 * poll then a read: OkHttp's connect timeout does that, and so does its health check of a pooled connection idle
 * for 10 s before a POST (a 1 ms timed read). The socket of a {@link SocketChannel} goes back to blocking after each
 * timed call, so one blocking read per chunk remains (checked with strace: 1 poll instead of 201 for 200 reads).
 */
final class BlockingSockets extends SocketFactory {
    static final BlockingSockets INSTANCE = new BlockingSockets();

    private BlockingSockets() { }

    @Override
    public Socket createSocket() throws IOException {
        return SocketChannel.open().socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) s.bind(local);
            s.connect(remote);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
