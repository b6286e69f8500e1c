package org.virtiotck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad arguments: one line on stderr naming the problem and the accepted forms, exit status 2, nothing run. */
class VirtioTckArgumentsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--target inproc:rng --bogus | Unknown option: '--bogus' | Usage: virtio-tck ",
        "--target bogus | bad target: unknown target kind 'bogus' | Accepted: inproc (all in-process devices)",
        "--target inproc:nosuchdevice | bad target: no in-process device 'nosuchdevice' | Accepted: inproc",
        "--target vhost-user:/nonexistent/x.sock?device=blk | /nonexistent/x.sock | Accepted: inproc",
        "--target inproc:rng --format html,xml | 'xml' is not a report format | accepted: html, json, junit",
        "--format json | Missing required option: '--target=TARGET' (or --list) | Usage: virtio-tck ",
        "--target inproc:rng --only 9.9.9 | --only 9.9.9 selects no probe | accepted: a clause section (5.2.6), a probe class",
        "--list --only NoSuchProbes#x | --only NoSuchProbes#x selects no probe | a probe (BlkIoProbes#getIdIsNulPaddedAscii)",
        "--target inproc:rng --fuzz-tries 0 | --fuzz-tries 0 is not a positive integer | Usage: virtio-tck ",
        "--target inproc:rng --seed x | '--seed' | Usage: virtio-tck ",
        "--target inproc:rng stray | Unmatched argument at index 2: 'stray' | Usage: virtio-tck ",
    })
    void badArgumentsAreOneLineAndExitTwo(String args, String problem, String accepted) {
        CliRun run = CliRun.of(args.strip().split(" "));
        assertEquals(VirtioTck.USAGE, run.exit(), run.err());
        assertEquals(1, run.errLines().size(), run.err());
        String line = run.errLines().get(0);
        assertTrue(line.startsWith("virtio-tck: "), line);
        assertTrue(line.contains(problem.strip()), line);
        assertTrue(line.contains(accepted.strip()), line);
        assertEquals("", run.out(), "nothing runs, nothing is listed");
    }
}
