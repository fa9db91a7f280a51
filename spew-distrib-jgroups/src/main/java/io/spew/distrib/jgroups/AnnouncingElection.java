package io.spew.distrib.jgroups;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.ELECTION;

/**
 * jgroups-raft's ELECTION, which also tells members that join who leads once more, shortly after they join.
 * The stock protocol tells them only when this member already knew it led as the view came; a member joining
 * while a vote ends (the coordinator announces to the old view, then takes the lead itself) is never told,
 * and stays without a leader until the next view. Same protocol id and messages as ELECTION, so members with
 * either one work together.
 */
final class AnnouncingElection extends ELECTION {
    static final long ANNOUNCE_DELAY_MILLIS = 500;

    private static final System.Logger LOG = System.getLogger(AnnouncingElection.class.getName());

    AnnouncingElection() {
        setId(ClassConfigurator.getProtocolId(ELECTION.class));
    }

    @Override
    protected void handleView(View next) {
        View previous = view;
        super.handleView(next);
        List<Address> joined = View.newMembers(previous, next);
        if (joined == null || joined.isEmpty()) {
            return;
        }
        try {
            getTransport().getTimer().schedule(this::announceIfLeader, ANNOUNCE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.log(Level.DEBUG, "not announcing the leader to " + joined + ": the channel is closing");
        }
    }

    private void announceIfLeader() {
        if (raft.isLeader()) {
            sendLeaderElectedMessage(raft.leader(), raft.currentTerm());
        }
    }
}
