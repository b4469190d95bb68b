/*
 * Benchmark peer: a libmodbus Modbus/TCP server serving 60 input registers (address 0..59, value
 * 1000 + address) to many connections at once, with select() as in libmodbus's
 * tests/bandwidth-server-many-up.c. Usage: libmodbus-server PORT. Prints "READY PORT" when listening.
 */
#include <errno.h>
#include <modbus/modbus.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#define REGISTERS 60

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s PORT\n", argv[0]);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int port = atoi(argv[1]);
  modbus_t *ctx = modbus_new_tcp("127.0.0.1", port);
  modbus_mapping_t *map = modbus_mapping_new(0, 0, 0, REGISTERS);
  if (ctx == NULL || map == NULL) {
    fprintf(stderr, "libmodbus: cannot allocate context or mapping\n");
    return 1;
  }
  for (int i = 0; i < REGISTERS; i++) map->tab_input_registers[i] = (uint16_t)(1000 + i);
  int server = modbus_tcp_listen(ctx, 128);
  if (server < 0) {
    fprintf(stderr, "libmodbus: listen on %d failed: %s\n", port, modbus_strerror(errno));
    return 1;
  }
  printf("READY %d\n", port);
  fflush(stdout);

  fd_set all;
  FD_ZERO(&all);
  FD_SET(server, &all);
  int max_fd = server;
  uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
  for (;;) {
    fd_set ready = all;
    if (select(max_fd + 1, &ready, NULL, NULL, NULL) < 0) {
      if (errno == EINTR) continue;
      perror("select");
      return 1;
    }
    for (int fd = 0; fd <= max_fd; fd++) {
      if (!FD_ISSET(fd, &ready)) continue;
      if (fd == server) {
        int client = accept(server, NULL, NULL);
        if (client >= 0 && client < FD_SETSIZE) {
          FD_SET(client, &all);
          if (client > max_fd) max_fd = client;
        } else if (client >= 0) {
          close(client);
        }
        continue;
      }
      modbus_set_socket(ctx, fd);
      int rc = modbus_receive(ctx, query);
      if (rc > 0) {
        modbus_reply(ctx, query, rc, map);
      } else if (rc == -1) {
        close(fd);
        FD_CLR(fd, &all);
      }
    }
  }
}
