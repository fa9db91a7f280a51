package io.spew.impl.environment;

import java.lang.System.Logger.Level;

/**
 * A thread of its own that runs a task once started, when woken (wakes while it runs coalesce into one more
 * run) and every {@code tickMillis} anyway.
 */
public final class Worker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Worker.class.getName());

    private final Thread thread;
    private final long tickMillis;
    private final Runnable task;
    private boolean woken = true;
    private boolean closed;

    public Worker(String name, long tickMillis, Runnable task) {
        this.tickMillis = tickMillis;
        this.task = task;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public synchronized void wake() {
        woken = true;
        notifyAll();
    }

    private void loop() {
        while (true) {
            synchronized (this) {
                long until = System.currentTimeMillis() + tickMillis;
                while (!woken && !closed && System.currentTimeMillis() < until) {
                    try {
                        wait(Math.max(1, until - System.currentTimeMillis()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                woken = false;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, thread.getName() + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
