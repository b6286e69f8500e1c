/*
 * The C peer of the qemu benchmarks (scripts/bench qemu): attaches to the guest RAM file of a QEMU the Java
 * side started, and does what the Java side measures, timed with clock_gettime per operation.
 *
 *   mailbox_peer RAMFILE MAILBOX_OFFSET read32 ADDRESS EXPECTED N
 *       N read32 round trips at guest-physical ADDRESS, each checked against EXPECTED.
 *   mailbox_peer RAMFILE MAILBOX_OFFSET blk MMIO_BASE SCRATCH_GPA N
 *       resets the virtio-mmio blk device at MMIO_BASE, sets up queue 0 (split, 16 entries) in 64 KiB at
 *       SCRATCH_GPA and does N reads of 4 KiB (submit, QueueNotify through the mailbox, spin on the used idx);
 *       the device is left reset-needing-a-driver: the Java side starts its driver again afterwards.
 *
 * The Java side may have used the mailbox already: the stub acts on any change of seq, so the peer continues
 * from the ack it finds and, when done, hands the stub back that same seq with one nop. The stub's last seq is
 * then the Java side's last again, as if the peer had never run (otherwise a peer whose last seq happened to be
 * the Java side's next would leave Java waiting for an ack that never changes). One JSON object on stdout: n, median, p90, p99, max, mean in nanoseconds.
 * A wrong value or a timeout is exit status 1 with the reason on stderr. The first N/10 operations warm up and
 * are not counted.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RAM_BASE 0x40000000ULL
#define READY_MAGIC 0x5944524255545321ULL
/* Mailbox fields, in u64 words. */
enum { SEQ, OP, ADDR, VALUE, ACK, RESULT, STATUS, READY };
enum { OP_NOP = 0, OP_R32 = 3, OP_W32 = 7 };
/* The same wait policy as the Java mailbox: spin this many polls, then yield. */
#define SPINS 2000
#define TIMEOUT_NS 10000000000LL

static uint8_t *ram;
static volatile uint64_t *mb;
static uint64_t seq;

static void die(const char *what) {
    fprintf(stderr, "mailbox_peer: %s\n", what);
    exit(1);
}

static inline int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static inline void spin_pause(int polls) {
    if (polls < SPINS) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#elif defined(__aarch64__)
        __asm__ volatile("yield");
#endif
    } else {
        sched_yield();
    }
}

/* One round trip: parameters first, seq last (release); then wait for ack == seq (acquire). */
static uint64_t rt_seq(uint64_t s, uint64_t op, uint64_t addr, uint64_t value) {
    mb[OP] = op;
    mb[ADDR] = addr;
    mb[VALUE] = value;
    __atomic_store_n(&mb[SEQ], s, __ATOMIC_RELEASE);
    int64_t end = 0;
    for (int polls = 0; __atomic_load_n(&mb[ACK], __ATOMIC_ACQUIRE) != s; polls++) {
        if ((polls & 255) == 255) {
            int64_t t = now_ns();
            if (end == 0) {
                end = t + TIMEOUT_NS;
            } else if (t > end) {
                die("the guest stub did not acknowledge within 10 s");
            }
        }
        spin_pause(polls);
    }
    if (mb[STATUS] != 0) {
        die("the guest stub reported a fault");
    }
    return mb[RESULT];
}

static inline uint64_t rt(uint64_t op, uint64_t addr, uint64_t value) {
    return rt_seq(++seq, op, addr, value);
}

static void *gpa(uint64_t address) {
    return ram + (address - RAM_BASE);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(uint64_t *t, long n) {
    double sum = 0;
    for (long i = 0; i < n; i++) {
        sum += (double)t[i];
    }
    qsort(t, n, sizeof *t, cmp_u64);
    printf("{\"n\":%ld,\"median\":%llu,\"p90\":%llu,\"p99\":%llu,\"max\":%llu,\"mean\":%.1f}\n", n,
           (unsigned long long)t[n / 2], (unsigned long long)t[n * 90 / 100], (unsigned long long)t[n * 99 / 100],
           (unsigned long long)t[n - 1], sum / n);
}

static void bench_read32(uint64_t address, uint64_t expected, long n, uint64_t *t) {
    long warm = n / 10;
    for (long i = -warm; i < n; i++) {
        int64_t a = now_ns();
        uint64_t v = rt(OP_R32, address, 0);
        int64_t b = now_ns();
        if (v != expected) {
            die("read32 returned a value other than expected");
        }
        if (i >= 0) {
            t[i] = (uint64_t)(b - a);
        }
    }
}

/* virtio-mmio registers (§4.2.2) and the split ring (§2.7). */
enum {
    R_DEV_FEAT = 0x10, R_DEV_FEAT_SEL = 0x14, R_DRV_FEAT = 0x20, R_DRV_FEAT_SEL = 0x24, R_QSEL = 0x30,
    R_QNUM_MAX = 0x34, R_QNUM = 0x38, R_QREADY = 0x44, R_QNOTIFY = 0x50, R_STATUS = 0x70,
    R_DESC_LO = 0x80, R_DESC_HI = 0x84, R_DRIVER_LO = 0x90, R_DRIVER_HI = 0x94, R_DEVICE_LO = 0xa0, R_DEVICE_HI = 0xa4
};
#define QSIZE 16
struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };

static void bench_blk(uint64_t base, uint64_t scratch, long n, uint64_t *t) {
    /* Layout in the scratch area: descriptors, avail, used (4 KiB aligned), header, status, data. */
    uint64_t g_desc = scratch, g_avail = scratch + 0x1000, g_used = scratch + 0x2000;
    uint64_t g_hdr = scratch + 0x3000, g_status = scratch + 0x3100, g_data = scratch + 0x4000;
    memset(gpa(scratch), 0, 0x5000);
    rt(OP_W32, base + R_STATUS, 0);
    if (rt(OP_R32, base + R_STATUS, 0) != 0) {
        die("blk: status does not read 0 after reset");
    }
    rt(OP_W32, base + R_STATUS, 1 | 2);
    rt(OP_W32, base + R_DEV_FEAT_SEL, 1);
    if ((rt(OP_R32, base + R_DEV_FEAT, 0) & 1) == 0) {
        die("blk: VERSION_1 not offered");
    }
    rt(OP_W32, base + R_DRV_FEAT_SEL, 1);
    rt(OP_W32, base + R_DRV_FEAT, 1); /* VERSION_1 only */
    rt(OP_W32, base + R_DRV_FEAT_SEL, 0);
    rt(OP_W32, base + R_DRV_FEAT, 0);
    rt(OP_W32, base + R_STATUS, 1 | 2 | 8);
    if ((rt(OP_R32, base + R_STATUS, 0) & 8) == 0) {
        die("blk: FEATURES_OK not kept");
    }
    rt(OP_W32, base + R_QSEL, 0);
    if (rt(OP_R32, base + R_QNUM_MAX, 0) < QSIZE) {
        die("blk: queue 0 smaller than 16");
    }
    rt(OP_W32, base + R_QNUM, QSIZE);
    rt(OP_W32, base + R_DESC_LO, (uint32_t)g_desc);
    rt(OP_W32, base + R_DESC_HI, g_desc >> 32);
    rt(OP_W32, base + R_DRIVER_LO, (uint32_t)g_avail);
    rt(OP_W32, base + R_DRIVER_HI, g_avail >> 32);
    rt(OP_W32, base + R_DEVICE_LO, (uint32_t)g_used);
    rt(OP_W32, base + R_DEVICE_HI, g_used >> 32);
    rt(OP_W32, base + R_QREADY, 1);
    rt(OP_W32, base + R_STATUS, 1 | 2 | 8 | 4);

    struct desc *desc = gpa(g_desc);
    volatile uint16_t *avail = gpa(g_avail); /* flags, idx, ring[] */
    volatile uint16_t *used = gpa(g_used);   /* flags, idx, then {u32 id, u32 len}[] */
    volatile uint8_t *status = gpa(g_status);
    uint8_t *hdr = gpa(g_hdr);
    uint16_t next = 0;
    long warm = n / 10;
    for (long i = -warm; i < n; i++) {
        int64_t a = now_ns();
        /* Header: type IN (0), reserved, sector 8 + i mod 1024 (within the 8 MiB image). */
        uint64_t sector = 8 * (uint64_t)((i + warm) % 1024);
        memset(hdr, 0, 8);
        memcpy(hdr + 8, &sector, 8);
        *status = 0xff;
        uint16_t head = (uint16_t)((next * 3) % (QSIZE - QSIZE % 3));
        desc[head] = (struct desc){g_hdr, 16, 1, (uint16_t)(head + 1)};
        desc[head + 1] = (struct desc){g_data, 4096, 1 | 2, (uint16_t)(head + 2)};
        desc[head + 2] = (struct desc){g_status, 1, 2, 0};
        avail[2 + next % QSIZE] = head;
        __atomic_store_n(&avail[1], (uint16_t)(next + 1), __ATOMIC_RELEASE);
        next++;
        /* Full fence: the avail idx store before the load of the device's NO_NOTIFY flag (§2.7.13.4), as the
           driver model does. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if ((__atomic_load_n(&used[0], __ATOMIC_RELAXED) & 1) == 0) {
            rt(OP_W32, base + R_QNOTIFY, 0);
        }
        int64_t end = 0;
        for (int polls = 0; __atomic_load_n(&used[1], __ATOMIC_ACQUIRE) != next; polls++) {
            if ((polls & 255) == 255) {
                int64_t tn = now_ns();
                if (end == 0) {
                    end = tn + TIMEOUT_NS;
                } else if (tn > end) {
                    die("blk: no used buffer within 10 s");
                }
            }
            /* The driver model's ring wait: 100 spins, then yield. */
            if (polls < 100) {
                spin_pause(0);
            } else {
                sched_yield();
            }
        }
        volatile uint32_t *elem = (volatile uint32_t *)(used + 2) + 2 * ((next - 1) % QSIZE);
        uint32_t id = elem[0], len = elem[1];
        int64_t b = now_ns();
        if (id != head || len != 4097 || *status != 0) {
            fprintf(stderr, "mailbox_peer: blk: used id %u len %u status %u (want %u, 4097, 0)\n", id, len, *status,
                    head);
            exit(1);
        }
        if (i >= 0) {
            t[i] = (uint64_t)(b - a);
        }
    }
    /* Leave the device reset, as the Java driver's start would anyway. */
    rt(OP_W32, base + R_STATUS, 0);
}

int main(int argc, char **argv) {
    if (argc != 7) {
        die("usage: mailbox_peer RAMFILE MAILBOX_OFFSET read32 ADDRESS EXPECTED N | ... blk MMIO_BASE SCRATCH_GPA N");
    }
    int fd = open(argv[1], O_RDWR);
    if (fd < 0) {
        die("cannot open the RAM file");
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("cannot stat the RAM file");
    }
    ram = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ram == MAP_FAILED) {
        die("cannot map the RAM file");
    }
    uint64_t off = strtoull(argv[2], NULL, 0);
    if (off + 0x100 > (uint64_t)st.st_size || (off & 7) != 0) {
        die("mailbox offset outside the RAM file");
    }
    mb = (volatile uint64_t *)(ram + off);
    if (__atomic_load_n(&mb[READY], __ATOMIC_ACQUIRE) != READY_MAGIC) {
        die("no ready guest stub in this RAM file");
    }
    uint64_t start = __atomic_load_n(&mb[ACK], __ATOMIC_ACQUIRE);
    if (__atomic_load_n(&mb[SEQ], __ATOMIC_ACQUIRE) != start) {
        die("the mailbox is busy (seq != ack)");
    }
    seq = start;
    long n = strtol(argv[6], NULL, 0);
    if (n < 10) {
        die("N must be at least 10");
    }
    uint64_t *t = calloc(n, sizeof *t);
    if (t == NULL) {
        die("out of memory");
    }
    if (strcmp(argv[3], "read32") == 0) {
        bench_read32(strtoull(argv[4], NULL, 0), strtoull(argv[5], NULL, 0), n, t);
    } else if (strcmp(argv[3], "blk") == 0) {
        uint64_t scratch = strtoull(argv[5], NULL, 0);
        if (scratch < RAM_BASE || scratch + 0x5000 - RAM_BASE > (uint64_t)st.st_size || (scratch & 0xfff) != 0) {
            die("scratch area outside the RAM file or not 4 KiB aligned");
        }
        bench_blk(strtoull(argv[4], NULL, 0), scratch, n, t);
    } else {
        die("unknown operation");
    }
    rt_seq(start, OP_NOP, 0, 0); /* the stub's last seq is the Java side's again */
    report(t, n);
    return 0;
}
