/*
 * Closed-loop Modbus/TCP load generator for the benchmark: CONNECTIONS sockets, each with exactly
 * one outstanding FC04 request (60 input registers from address 0, unit 1); a response is checked
 * (transaction id, function code, byte count) and the next request is sent at once. Latency is
 * send-to-complete-response, kept in a 1 us histogram. One epoll loop, no allocation per request.
 *
 * Usage: load-generator HOST PORT CONNECTIONS WARMUP_S MEASURE_S
 * Prints one JSON line: {"requests":N,"seconds":S,"rps":R,"p50us":..,"p99us":..,"errors":E,"cpu":C}
 * where cpu is this generator's own CPU use during the measurement (1.0 = one core busy), to show
 * that the generator is not the bottleneck.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define QUANTITY 60
#define RESPONSE_LENGTH (7 + 2 + 2 * QUANTITY)
#define BUCKETS 200000 /* 1 us buckets up to 200 ms */

typedef struct {
  int fd;
  uint16_t tid;
  uint64_t sent_ns;
  int have;
  uint8_t buf[512];
} conn_t;

static uint64_t hist[BUCKETS + 1];

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int send_request(conn_t *c) {
  uint8_t req[12] = {0, 0, 0, 0, 0, 6, 1, 0x04, 0, 0, 0, QUANTITY};
  c->tid++;
  req[0] = (uint8_t)(c->tid >> 8);
  req[1] = (uint8_t)c->tid;
  c->sent_ns = now_ns();
  c->have = 0;
  return send(c->fd, req, sizeof req, MSG_NOSIGNAL) == (ssize_t)sizeof req ? 0 : -1;
}

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static uint64_t percentile(uint64_t total, double p) {
  uint64_t target = (uint64_t)(p * (double)total);
  uint64_t seen = 0;
  for (int i = 0; i <= BUCKETS; i++) {
    seen += hist[i];
    if (seen > target) return (uint64_t)i;
  }
  return BUCKETS;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: %s HOST PORT CONNECTIONS WARMUP_S MEASURE_S\n", argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  const char *host = argv[1];
  int port = atoi(argv[2]);
  int n = atoi(argv[3]);
  double warmup = atof(argv[4]);
  double measure = atof(argv[5]);
  conn_t *conns = calloc((size_t)n, sizeof(conn_t));
  int ep = epoll_create1(0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  inet_pton(AF_INET, host, &addr.sin_addr);
  for (int i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
      fprintf(stderr, "connect %s:%d: %s\n", host, port, strerror(errno));
      return 1;
    }
    conns[i].fd = fd;
    conns[i].tid = (uint16_t)(i * 1000);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  for (int i = 0; i < n; i++) send_request(&conns[i]);

  uint64_t start = now_ns();
  uint64_t measure_start = start + (uint64_t)(warmup * 1e9);
  uint64_t end = measure_start + (uint64_t)(measure * 1e9);
  uint64_t requests = 0, errors = 0;
  struct epoll_event events[256];
  int outstanding = n;
  double cpu_start = -1, cpu_end = -1;
  for (;;) {
    uint64_t t = now_ns();
    if (cpu_start < 0 && t >= measure_start) cpu_start = cpu_seconds();
    if (cpu_end < 0 && t >= end) cpu_end = cpu_seconds();
    /* After the end, stop sending and collect the outstanding answers, so no connection is
     * reset with a response unread (some peers die of ECONNRESET). */
    if (t >= end && (outstanding == 0 || t >= end + 2000000000ull)) break;
    int ready = epoll_wait(ep, events, 256, 100);
    for (int e = 0; e < ready; e++) {
      conn_t *c = events[e].data.ptr;
      ssize_t got = recv(c->fd, c->buf + c->have, sizeof c->buf - (size_t)c->have, 0);
      if (got <= 0) {
        fprintf(stderr, "connection closed by server\n");
        return 1;
      }
      c->have += (int)got;
      if (c->have < RESPONSE_LENGTH) continue;
      uint64_t done = now_ns();
      int ok = c->have == RESPONSE_LENGTH && c->buf[0] == (uint8_t)(c->tid >> 8) && c->buf[1] == (uint8_t)c->tid &&
               c->buf[7] == 0x04 && c->buf[8] == 2 * QUANTITY && c->buf[9] == (1000 >> 8) && c->buf[10] == (1000 & 0xff);
      if (c->sent_ns >= measure_start && done <= end) {
        requests++;
        if (!ok) errors++;
        uint64_t us = (done - c->sent_ns) / 1000;
        hist[us > BUCKETS ? BUCKETS : us]++;
      }
      if (done >= end) {
        outstanding--;
        continue;
      }
      if (send_request(c) != 0) {
        fprintf(stderr, "send failed: %s\n", strerror(errno));
        return 1;
      }
    }
  }
  for (int i = 0; i < n; i++) {
    shutdown(conns[i].fd, SHUT_WR);
    close(conns[i].fd);
  }
  printf("{\"requests\":%llu,\"seconds\":%.3f,\"rps\":%.0f,\"p50us\":%llu,\"p99us\":%llu,\"errors\":%llu,\"cpu\":%.2f}\n",
         (unsigned long long)requests, measure, (double)requests / measure, (unsigned long long)percentile(requests, 0.50),
         (unsigned long long)percentile(requests, 0.99), (unsigned long long)errors,
         cpu_start >= 0 && cpu_end >= 0 ? (cpu_end - cpu_start) / measure : 0.0);
  return 0;
}
