package main

import (
	"os"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/internal/hugepages"
)

// heapPerInputByte is how many bytes of heap a run holds at its peak for
// each byte of snapshot it reads, at most: a 1,000-spoke estate of 80 MB
// peaks at about 330 MB, a 10,000-spoke one of 800 MB at 1.9 GB.
const heapPerInputByte = 6

// maxPreparedHeap bounds the heap prepared for huge pages.
const maxPreparedHeap = 4 << 30

// hugePagesEnv switches the preparation off when set to "off" or "0".
const hugePagesEnv = "VNETPATH_HUGEPAGES"

// prepareHeap readies as much heap as a snapshot of the given paths needs
// for transparent huge pages (see internal/hugepages): a whole-estate
// check then takes a few thousand page faults instead of tens of
// thousands. It acts on the first snapshot a process reads.
func prepareHeap(paths []string) {
	hugepages.Prepare(heapFor(paths, os.Getenv))
}

// heapFor returns the bytes of heap to prepare for a snapshot of the
// given paths: heapPerInputByte for each byte of the files the loader
// reads, at most maxPreparedHeap; none when hugePagesEnv says off or the
// paths cannot be read (the loader then says why).
func heapFor(paths []string, getenv func(string) string) int {
	if v := getenv(hugePagesEnv); v == "off" || v == "0" {
		return 0
	}
	total, err := azure.Size(paths)
	if err != nil {
		return 0
	}
	return int(min(total*heapPerInputByte, maxPreparedHeap))
}
