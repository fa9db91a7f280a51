package io.spew.distrib.jgroups;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.stack.Protocol;

/**
 * Sits between the failure detector and the suspicion check and tells the transport when a member is
 * suspected, and when it answers again, before membership drops or keeps it.
 */
final class SuspicionWatch extends Protocol {
    /** What the transport does with suspicions. */
    interface Listener {
        void suspected(Collection<Address> members);

        void unsuspected(Address member);
    }

    private final Listener listener;

    SuspicionWatch(Listener listener) {
        this.listener = requireNonNull(listener, "listener is null");
    }

    @Override
    public Object up(Event event) {
        observe(event);
        return up_prot.up(event);
    }

    @Override
    public Object down(Event event) {
        observe(event);
        return down_prot.down(event);
    }

    @SuppressWarnings("unchecked")
    private void observe(Event event) {
        if (event.getType() == Event.SUSPECT) {
            Object argument = event.getArg();
            listener.suspected(argument instanceof Collection<?> members
                    ? (Collection<Address>) members : List.of((Address) argument));
        } else if (event.getType() == Event.UNSUSPECT) {
            listener.unsuspected(event.getArg());
        }
    }
}
