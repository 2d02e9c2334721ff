/*
** connection.h: what the node does to every SQLite connection of its process
** (connection.c), for register.go.
*/
#ifndef DYNENUM_DQLITE_CONNECTION_H
#define DYNENUM_DQLITE_CONNECTION_H

/* Installs node_connection_init for every connection opened from now on:
** SQLITE_OK or an SQLite result code. */
int node_register(void);

/* Opens a connection of its own and checks that the hook ran: dynenum
** answers (its version into version, size bytes), defensive mode is on, and
** the guards refuse what they must.  SQLITE_OK, or a result code with a
** message of what failed in version. */
int node_self_check(char *version, int size);

#endif
