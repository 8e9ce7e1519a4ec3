package dev.leakwatch.samples.leaks;

import dev.leakwatch.samples.RequestWork;
import dev.leakwatch.samples.SampleProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * Listeners added to a long-lived event bus and never removed: each quote request subscribes a {@link PriceListener}
 * to the static {@link PriceFeed} for the life of the request, and forgets to unsubscribe when the request ends.
 *
 * <p>Rate: one subscription in {@link #REQUESTS_PER_SUBSCRIPTION} requests at {@link #REQUESTS_PER_SECOND} is about
 * 31 listeners a second, each retaining about 1.1 KB with its price history: about 1.9 MB a minute.
 */
public final class ListenerLeak implements SampleProgram {

    private static final int REQUESTS_PER_SECOND = 1_000;
    private static final int REQUESTS_PER_SUBSCRIPTION = 32;
    private static final int REQUESTS_PER_TICK = 50;
    private static final int HISTORY_LENGTH = 112;
    private static final int CHURN_BYTES_PER_REQUEST = 4_096;
    private static final String[] SYMBOLS = {"ACME", "GLOBEX", "INITECH", "UMBRELLA", "HOOLI", "STARK", "WAYNE"};

    /** Long-lived: it outlives every request that subscribes to it. */
    private static final PriceFeed FEED = new PriceFeed();

    @Override
    public int requestsPerSecond() {
        return REQUESTS_PER_SECOND;
    }

    @Override
    public void handleRequest(long requestId) {
        if (requestId % REQUESTS_PER_SUBSCRIPTION == 0) {
            subscribe(requestId);
        }
        if (requestId % REQUESTS_PER_TICK == 0) {
            FEED.publish(
                    SYMBOLS[(int) (requestId / REQUESTS_PER_TICK % SYMBOLS.length)], 100.0 + requestId % 1_000 / 10.0);
        }
        RequestWork.churn(requestId, CHURN_BYTES_PER_REQUEST);
    }

    /** The leak: the listener is added and the matching {@link PriceFeed#remove} is never called. */
    private static void subscribe(long requestId) {
        String symbol = SYMBOLS[(int) (requestId % SYMBOLS.length)];
        FEED.add(new PriceListener("client-" + requestId, symbol, new double[HISTORY_LENGTH]));
    }

    /** A minimal event bus; synchronized because a real one would be shared between request threads. */
    private static final class PriceFeed {
        private final List<PriceListener> listeners = new ArrayList<>();

        synchronized void add(PriceListener listener) {
            listeners.add(listener);
        }

        synchronized void remove(PriceListener listener) {
            listeners.remove(listener);
        }

        synchronized void publish(String symbol, double price) {
            for (PriceListener listener : listeners) {
                listener.onPrice(symbol, price);
            }
        }
    }

    /** The state a quote request keeps while it waits for prices: who asked, what for, and what it has seen. */
    private static final class PriceListener {
        private final String clientId;
        private final String symbol;
        private final double[] history;
        private int seen;

        PriceListener(String clientId, String symbol, double[] history) {
            this.clientId = clientId;
            this.symbol = symbol;
            this.history = history;
        }

        void onPrice(String tickSymbol, double price) {
            if (symbol.equals(tickSymbol)) {
                history[seen++ % history.length] = price;
            }
        }
    }
}
