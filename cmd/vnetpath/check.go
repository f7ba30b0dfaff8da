package main

import (
	"errors"
	"io"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	return fail(stderr, "check", errors.New("not built yet"))
}
