package main

import (
	"strings"
	"testing"
)

// FuzzInferFromHost: no panic, and whatever is inferred comes from the
// host itself: a region that is one of its labels (or us-east-1 for the
// global endpoints), only for AWS host names.
func FuzzInferFromHost(f *testing.F) {
	f.Fuzz(func(t *testing.T, host string) {
		svc, region := inferFromHost(host)
		if svc == "" && region == "" {
			return
		}
		h := strings.ToLower(strings.TrimSuffix(host, "."))
		if !strings.HasSuffix(h, ".amazonaws.com") && !strings.HasSuffix(h, ".amazonaws.com.cn") && !strings.HasSuffix(h, ".on.aws") {
			t.Errorf("%q: inferred %q %q from a non-AWS host", host, svc, region)
		}
		if region != "" && !isRegion(region) {
			t.Errorf("%q: region %q", host, region)
		}
		if region != "" && region != "us-east-1" && !strings.Contains(h, region) {
			t.Errorf("%q: region %q not in the host", host, region)
		}
	})
}
