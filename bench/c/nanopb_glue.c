// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// The calls the benchmark makes into nanopb: one decode and one encode over a memory
// buffer, for any message whose field table is passed in. Rust sees the message structs
// only as opaque storage of the right size and alignment.

#include <pb_decode.h>
#include <pb_encode.h>

#include "benchmark.pb.h"
#include "cases.pb.h"

// Every message struct of the benchmark; its size is the storage Rust sets aside.
union nb_any {
	benchmark_Message message;
	benchmark_Message3 message3;
	cases_Foo foo;
	cases_Packed packed;
	cases_Fixed32s fixed32s;
};

// The field tables, in the order of the `NbCase` enum on the Rust side.
static const pb_msgdesc_t *const nb_tables[] = {
	&benchmark_Message_msg,
	&benchmark_Message3_msg,
	&cases_Foo_msg,
	&cases_Packed_msg,
	&cases_Fixed32s_msg,
};

size_t nb_storage_size(void)
{
	return sizeof(union nb_any);
}

const pb_msgdesc_t *nb_table(unsigned int which)
{
	if (which >= sizeof(nb_tables) / sizeof(nb_tables[0]))
		return NULL;
	return nb_tables[which];
}

// Decodes `len` bytes into `msg`; returns 1 on success, 0 on failure.
int nb_decode(const pb_msgdesc_t *table, const uint8_t *buf, size_t len, void *msg)
{
	pb_istream_t stream = pb_istream_from_buffer(buf, len);

	return pb_decode(&stream, table, msg) ? 1 : 0;
}

// Encodes `msg` into `out`; returns the number of bytes written, or -1 on failure.
long nb_encode(const pb_msgdesc_t *table, const void *msg, uint8_t *out, size_t cap)
{
	pb_ostream_t stream = pb_ostream_from_buffer(out, cap);

	if (!pb_encode(&stream, table, msg))
		return -1;
	return (long)stream.bytes_written;
}
