package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.UsedBuffer;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Automatic receive steering (VIRTIO 1.2 §5.1.6.5.6): after reset only receiveq1 gets packets; once VQ_PAIRS_SET
 * n is used, only receiveq1..n do, and the device steers by flow, so the packets of one flow all land on one
 * queue while many flows spread over more than one. Every receive queue has buffers posted throughout, so where a
 * packet lands is the device's choice alone.
 */
@ForDevice(DeviceType.NET)
class MultiqueueProbes {
    /** The most buffers posted on one receive queue. */
    private static final int MAX_POSTED = 48;

    /** Where a packet arrived: the receive queue (1-based) and the frame. */
    private record Arrival(int queue, byte[] frame) {
    }

    /** Starts with MQ and every queue pair set up; SKIP without MQ or with a single pair to steer to. */
    private static NetPort start(Session session) {
        NetPort port = NetPort.startWithControl(session, Feature.NET_MQ);
        Assumptions.assumeTrue(port.has(Feature.NET_MQ), "device without VIRTIO_NET_F_MQ");
        Assumptions.assumeTrue(port.pairs() >= 2, "max_virtqueue_pairs is 1: there is no queue to steer to but one");
        return port;
    }

    private static void pairsSet(NetPort port, int pairs) {
        NetPort.expectOk("VQ_PAIRS_SET " + pairs, port.control().vqPairsSet(pairs));
    }

    /** Flows 0..flows-1, {@code each} packets apiece, interleaved. */
    private static List<byte[]> flows(NetPort port, int flows, int each) {
        byte[] to = port.destination();
        List<byte[]> frames = new ArrayList<>();
        for (int seq = 0; seq < each; seq++) {
            for (int f = 0; f < flows; f++) {
                frames.add(FlowFrames.frame(to, f, seq));
            }
        }
        return frames;
    }

    /**
     * Posts buffers on every receive queue, injects {@code frames}, and returns where each arrived; fails when
     * some did not arrive within the deadline.
     */
    private static List<Arrival> receive(NetPort port, NetWire wire, List<byte[]> frames) {
        int posted = Math.min(frames.size(), MAX_POSTED);
        for (int k = 1; k <= port.pairs(); k++) {
            Virtqueue q = port.receiveq(k);
            for (int i = 0; i < posted; i++) {
                port.post(q, NetPort.RX_BUFFER, ChainLayout.ONE_DESCRIPTOR);
            }
            port.driver().kick(q);
        }
        frames.forEach(wire::inject);
        List<Arrival> arrivals = new ArrayList<>();
        Deadline d = port.driver().deadline();
        for (int attempt = 0; arrivals.size() < frames.size() && !d.expired(); attempt++) {
            boolean any = false;
            for (int k = 1; k <= port.pairs(); k++) {
                for (Optional<Completion> c = port.receiveq(k).poll(); c.isPresent(); c = port.receiveq(k).poll()) {
                    byte[] data = UsedBuffer.of(c.get(), port.driver().allocator().memory()).data();
                    arrivals.add(new Arrival(k, Arrays.copyOfRange(data, Math.min(NetHeader.SIZE, data.length),
                            data.length)));
                    any = true;
                }
            }
            if (any) {
                attempt = 0;
            } else {
                Deadline.pause(attempt);
            }
        }
        Check.that(arrivals.size() == frames.size(), "packets received on " + port.pairs() + " receive queues after "
                + "injecting " + frames.size() + " frames, with " + posted + " buffers posted on each",
                frames.size() + " packets", arrivals.size() + " within the deadline");
        return arrivals;
    }

    private static Map<Integer, Integer> perQueue(List<Arrival> arrivals) {
        Map<Integer, Integer> count = new TreeMap<>();
        arrivals.forEach(a -> count.merge(a.queue(), 1, Integer::sum));
        return count;
    }

    @Probe
    @Clause(section = "5.1.6.5.6.2", label = "after reset, device queues received packets on receiveq1 only", level = Level.MUST)
    void onlyReceiveq1AfterReset(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = start(session);
        List<Arrival> arrivals = receive(port, wire, flows(port, 16, 1));
        Check.that(arrivals.stream().allMatch(a -> a.queue() == 1), "receive queues of 16 flows' packets after reset, "
                + "before any VQ_PAIRS_SET", "receiveq1 only", "packets per receiveq " + perQueue(arrivals));
    }

    @Probe
    @Clause(section = "5.1.6.5.6.2", label = "once VQ_PAIRS_SET is used, no packet goes to a receiveq beyond virtqueue_pairs",
            level = Level.MUST)
    void noReceiveqBeyondPairs(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = start(session);
        int pairs = port.pairs() / 2;
        pairsSet(port, port.pairs());
        pairsSet(port, pairs);
        List<Arrival> arrivals = receive(port, wire, flows(port, 32, 1));
        Check.that(arrivals.stream().allMatch(a -> a.queue() <= pairs), "receive queues of 32 flows' packets after "
                + "VQ_PAIRS_SET " + port.pairs() + " and then " + pairs, "receiveq1 to receiveq" + pairs + " only",
                "packets per receiveq " + perQueue(arrivals));
    }

    /**
     * Each of 16 flows first sends a packet out (on the transmitqs in turn): §5.1.6.5.6 lets a device put packets
     * of a flow it has never seen sent on a random queue. Then 3 answers per flow come in: all of a flow's answers
     * must land on one queue, and the 16 flows on more than one.
     */
    @Probe
    @Clause(section = "5.1.6.5.6", label = "with multiqueue enabled, device steers received packets by flow", level = Level.MUST)
    void steersByFlow(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = start(session);
        pairsSet(port, port.pairs());
        byte[] own = port.destination();
        for (int flow = 0; flow < 16; flow++) {
            port.transmit(port.transmitq(flow % port.pairs() + 1), NetHeader.PLAIN,
                    List.of(FlowFrames.outgoing(own, flow)), List.of(TxLayout.HEADER_THEN_FRAME));
        }
        wire.drainSent();
        List<Arrival> arrivals = receive(port, wire, flows(port, 16, 3));
        Map<Integer, TreeSet<Integer>> queuesOfFlow = new TreeMap<>();
        arrivals.forEach(a -> queuesOfFlow.computeIfAbsent(FlowFrames.flowOf(a.frame()), f -> new TreeSet<>()).add(a.queue()));
        queuesOfFlow.forEach((flow, queues) -> Check.that(queues.size() == 1, "receive queues of the 3 answers in flow "
                + flow + " after VQ_PAIRS_SET " + port.pairs(), "one queue for the whole flow", "receiveq " + queues));
        Check.that(perQueue(arrivals).size() > 1, "receive queues of the answers in 16 flows sent out over "
                + port.pairs() + " transmitqs, after VQ_PAIRS_SET " + port.pairs(), "more than one queue: the device "
                + "steers flows", "packets per receiveq " + perQueue(arrivals));
    }

    /**
     * Two flows per queue pair go out, each on its own pair's transmitq; their answers then come in. A device that
     * steers by hash alone puts most of them elsewhere.
     */
    @Probe
    @Clause(section = "5.1.6.5.6", label = "received packets of a flow go to the receiveq paired with the transmitq it last used",
            level = Level.SHOULD)
    void answersFollowTheTransmitq(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = start(session);
        pairsSet(port, port.pairs());
        byte[] own = port.destination();
        Map<Integer, Integer> queueOfFlow = new TreeMap<>();
        List<byte[]> answers = new ArrayList<>();
        for (int k = 1; k <= port.pairs(); k++) {
            for (int flow = 2 * (k - 1); flow < 2 * k; flow++) {
                port.transmit(port.transmitq(k), NetHeader.PLAIN, List.of(FlowFrames.outgoing(own, flow)),
                        List.of(TxLayout.HEADER_THEN_FRAME));
                queueOfFlow.put(flow, k);
                answers.add(FlowFrames.frame(own, flow, 1));
            }
        }
        wire.drainSent();
        for (Arrival a : receive(port, wire, answers)) {
            int flow = FlowFrames.flowOf(a.frame());
            Check.equal("receive queue of an answer in flow " + flow + ", which went out on transmitq"
                    + queueOfFlow.get(flow), "receiveq" + queueOfFlow.get(flow), "receiveq" + a.queue());
        }
    }
}
