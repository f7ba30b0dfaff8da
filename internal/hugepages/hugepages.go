// Package hugepages lets the vnetpath command's heap grow onto transparent
// huge pages where Linux offers them only on request.
//
// A whole-estate check touches a few hundred megabytes of fresh heap. In
// 4 KiB pages that is tens of thousands of page faults, each costly on a
// virtual machine; Linux's default on many distributions
// (/sys/kernel/mm/transparent_hugepage/enabled set to "madvise") gives
// huge pages only to memory marked with madvise(MADV_HUGEPAGE), and the
// Go runtime marks none of its heap. [Prepare] marks the address range the
// heap grows into next. It is for a command, before its work begins: it
// allocates and frees a span of the given size, which the heap then
// reuses.
package hugepages
