// Streaming-read memory bandwidth: the physical limit of workloads 1 and 2 (bytes per item × items/s).
// Sums a 512 MiB array of uint64 (far larger than any cache) with 1 and with N threads; prints JSON.
// Build: cc -O2 -march=native -pthread bench/membw.c -o membw ; run: ./membw [threads]
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BYTES (512UL << 20)
#define PASSES 5

static uint64_t *data;
static size_t words;

typedef struct { size_t begin, end; uint64_t sum; } Slice;

static void *read_slice(void *arg) {
    Slice *s = arg;
    uint64_t a = 0, b = 0, c = 0, d = 0;
    for (size_t i = s->begin; i + 4 <= s->end; i += 4) {
        a += data[i]; b += data[i + 1]; c += data[i + 2]; d += data[i + 3];
    }
    s->sum = a + b + c + d;
    return NULL;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double measure(int threads) {
    pthread_t ids[64];
    Slice slices[64];
    double best = 1e30;
    for (int pass = 0; pass < PASSES; pass++) {
        double start = now();
        for (int t = 0; t < threads; t++) {
            slices[t].begin = words * t / threads;
            slices[t].end = words * (t + 1) / threads;
            pthread_create(&ids[t], NULL, read_slice, &slices[t]);
        }
        uint64_t total = 0;
        for (int t = 0; t < threads; t++) { pthread_join(ids[t], NULL); total += slices[t].sum; }
        double elapsed = now() - start;
        if (total == 42) printf("#");  // keeps the sum live
        if (elapsed < best) best = elapsed;
    }
    return BYTES / best;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads < 1 || threads > 64) { fprintf(stderr, "threads %d must be in 1...64\n", threads); return 1; }
    words = BYTES / sizeof(uint64_t);
    data = malloc(BYTES);
    if (!data) { fprintf(stderr, "cannot allocate %lu bytes\n", BYTES); return 1; }
    for (size_t i = 0; i < words; i++) data[i] = i * 2654435761u;
    double one = measure(1), many = measure(threads);
    printf("{\"name\": \"membw\", \"bytes\": %lu, \"readBytesPerSecond1\": %.0f, \"threads\": %d, "
           "\"readBytesPerSecondN\": %.0f}\n", BYTES, one, threads, many);
    free(data);
    return 0;
}
