package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path"
	"time"

	"sigv4.dev/presign"
)

// api serves GET /download-link.
type api struct {
	p       *presign.Presigner
	bucket  string
	prefix  string
	expires time.Duration
	// exists reports whether key is an object (nil: do not check).
	exists func(ctx context.Context, key string) (bool, error)
}

// linkResponse is the answer to a good request.
type linkResponse struct {
	URL       string `json:"url"`
	ExpiresAt string `json:"expires_at"`
}

// errorResponse is the answer to a bad one.
type errorResponse struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func (a *api) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/download-link", a.downloadLink)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorResponse{"not_found", "try GET /download-link?file=NAME"})
	})
	return mux
}

func (a *api) downloadLink(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, errorResponse{"method_not_allowed", "use GET"})
		return
	}
	files := r.URL.Query()["file"]
	if len(files) == 0 || files[0] == "" {
		writeJSON(w, http.StatusBadRequest, errorResponse{"missing_file", "the query parameter file is required, e.g. ?file=report-2024-q4.pdf"})
		return
	}
	if len(files) > 1 {
		writeJSON(w, http.StatusBadRequest, errorResponse{"invalid_file", "give the file parameter once"})
		return
	}
	name := files[0]
	if err := checkName(name); err != nil {
		writeJSON(w, http.StatusBadRequest, errorResponse{"invalid_file", err.Error()})
		return
	}
	key := a.prefix + name
	notFound := errorResponse{"not_found", "no file " + name + " under " + a.prefix}
	if len(key) > 1024 {
		writeJSON(w, http.StatusNotFound, notFound)
		return
	}
	if a.exists != nil {
		ok, err := a.exists(r.Context(), key)
		if err != nil {
			writeJSON(w, http.StatusBadGateway, errorResponse{"upstream_error", "the bucket could not be reached"})
			logf("checking %s: %v", key, err)
			return
		}
		if !ok {
			writeJSON(w, http.StatusNotFound, notFound)
			return
		}
	}
	u, err := a.p.GetObject(r.Context(), presign.GetObjectInput{
		Bucket: a.bucket, Key: key, Expires: a.expires,
		// The browser saves the file under its own name.
		ResponseContentDisposition: presign.ContentDisposition(path.Base(name)),
	})
	if err != nil {
		logf("presigning %s: %v", key, err) // errors never carry a secret
		writeJSON(w, http.StatusInternalServerError, errorResponse{"internal_error", "could not make a link"})
		return
	}
	writeJSON(w, http.StatusOK, linkResponse{URL: u.URL, ExpiresAt: u.Expires.UTC().Format(time.RFC3339)})
}

// writeJSON writes v with the status. The response is never cached: it
// holds a bearer URL.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // keep '&' in the URL as it is
	_ = enc.Encode(v)
}
