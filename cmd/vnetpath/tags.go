package main

import (
	"errors"
	"io"
)

func runTags(args []string, stdout, stderr io.Writer) int {
	return fail(stderr, "tags", errors.New("not built yet"))
}
