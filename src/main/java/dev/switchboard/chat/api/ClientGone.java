package dev.switchboard.chat.api;

import dev.switchboard.chat.Generation;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/** A streaming client that goes away stops its generation; the response is ended rather than sent to /error. */
record ClientGone(Generation generation) implements AsyncListener {
    @Override
    public void onError(AsyncEvent event) {
        end(event);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end(event);
    }

    private void end(AsyncEvent event) {
        generation.stop();
        event.getAsyncContext().complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        // the reply ended normally or was ended above
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
