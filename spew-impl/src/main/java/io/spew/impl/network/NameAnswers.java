package io.spew.impl.network;

import static java.util.Objects.requireNonNull;

import io.spew.impl.service.ServiceAddresses;
import io.spew.instance.Instance;
import io.spew.instance.InstanceState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.Locale;
import java.util.function.Supplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers questions about zone {@code spew.}: {@code NAME.service.spew} (A and SRV records of the
 * service's healthy instances on every host of the cluster, as the catalog lists them) and
 * {@code INSTANCE.instance.spew} (A record of a running instance of any host). Answers live {@value #TTL} second; names outside the zone are refused (the
 * server resolves nothing else).
 */
final class NameAnswers {
    static final long TTL = 1;
    private static final String SERVICE = ".service.spew.";
    private static final String INSTANCE = ".instance.spew.";

    private final Supplier<List<Instance>> instances;
    private final ServiceAddresses services;

    /** Answers from this host's {@code instances} and those the other hosts reported ({@code services}). */
    NameAnswers(Supplier<List<Instance>> instances, ServiceAddresses services) {
        this.instances = requireNonNull(instances, "instances is null");
        this.services = requireNonNull(services, "services is null");
    }

    /** The answer to a query. */
    Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        String text = name.toString().toLowerCase(Locale.ROOT);
        int type = question.getType();
        try {
            if (text.endsWith(SERVICE) && text.length() > SERVICE.length()) {
                service(response, name, text.substring(0, text.length() - SERVICE.length()), type);
            } else if (text.endsWith(INSTANCE) && text.length() > INSTANCE.length()) {
                instance(response, name, text.substring(0, text.length() - INSTANCE.length()), type);
            } else if (text.equals("spew.") || text.endsWith(".spew.")) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            } else {
                response.getHeader().unsetFlag(Flags.AA);
                response.getHeader().setRcode(Rcode.REFUSED);
            }
        } catch (TextParseException | UnknownHostException e) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        }
        return response;
    }

    private void service(Message response, Name name, String service, int type)
            throws TextParseException, UnknownHostException {
        SortedMap<String, String> members = services.members(instances).entrySet().stream()
                .filter(candidate -> candidate.getKey().equalsIgnoreCase(service)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (members == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return;
        }
        Set<String> answered = new HashSet<>();
        for (Map.Entry<String, String> member : members.entrySet()) {
            String address = member.getValue();
            int colon = address.lastIndexOf(':');
            InetAddress ip = InetAddress.getByName(address.substring(0, colon));
            // shell instances share the host's address: one A record for it, one SRV record each (its port)
            if ((type == Type.A || type == Type.ANY) && answered.add(ip.getHostAddress())) {
                response.addRecord(new ARecord(name, DClass.IN, TTL, ip), Section.ANSWER);
            }
            if (type == Type.SRV || type == Type.ANY) {
                Name target = Name.fromString(member.getKey() + INSTANCE);
                response.addRecord(new SRVRecord(name, DClass.IN, TTL, 1, 1, Integer.parseInt(address.substring(colon + 1)),
                        target), Section.ANSWER);
                response.addRecord(new ARecord(target, DClass.IN, TTL, ip), Section.ADDITIONAL);
            }
        }
    }

    private void instance(Message response, Name name, String instanceName, int type) throws UnknownHostException {
        String found = services.everyHost(instances).stream().filter(instance -> instance.name()
                .equalsIgnoreCase(instanceName) && instance.state() == InstanceState.RUNNING)
                .map(services::address).flatMap(java.util.Optional::stream).findFirst().orElse(null);
        if (found == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return;
        }
        if (type == Type.A || type == Type.ANY) {
            response.addRecord(new ARecord(name, DClass.IN, TTL, InetAddress.getByName(found)), Section.ANSWER);
        }
    }
}
