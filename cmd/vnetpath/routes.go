package main

import (
	"errors"
	"io"
)

func runRoutes(args []string, stdout, stderr io.Writer) int {
	return fail(stderr, "routes", errors.New("not built yet"))
}
