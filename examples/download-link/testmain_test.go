package main

import (
	"os"
	"testing"

	"sigv4.dev/examples/internal/clitest"
)

func TestMain(m *testing.M) { os.Exit(clitest.Main(m)) }
