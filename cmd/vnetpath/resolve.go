package main

import (
	"errors"
	"io"
)

func runResolve(args []string, stdout, stderr io.Writer) int {
	return fail(stderr, "resolve", errors.New("not built yet"))
}
