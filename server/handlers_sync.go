package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"freezer/domain"
	"freezer/sync/protocol"
)

// SyncStore is what the sync routes need from the store, beside Store.
// sqlstore.DB implements it; a store without it answers 501 on them.
type SyncStore interface {
	// Push applies a batch of mutations for the account in one
	// transaction (protocol.Merger rules, ledger of applied ids).
	Push(ctx context.Context, accountID int64, req protocol.PushRequest) (protocol.PushResponse, error)
	// Pull returns the account's entities changed after cursor, leaving
	// out those whose seq is in skip (protocol.QuerySkip).
	Pull(ctx context.Context, accountID int64, cursor int64, limit int, typesTag string, skip []protocol.SeqRange) (protocol.PullResponse, error)
}

// maxSyncBody bounds a push body once decompressed (a gzip bomb stops
// there); MaxBodyBytes bounds it on the wire.
const maxSyncBody = 16 << 20

// syncStore returns the sync store and the protocol version the request
// names in its header (protocol.Version when it names none); it answers
// and returns false when the store cannot sync or the version is not
// served.
func (s *Server) syncStore(w http.ResponseWriter, r *http.Request) (SyncStore, int, bool) {
	ss, ok := s.store.(SyncStore)
	if !ok {
		s.problem(w, r, http.StatusNotImplemented, domain.EUnavailable, "This server's store does not support sync.")
		return nil, 0, false
	}
	v := protocol.Version
	if h := r.Header.Get(protocol.VersionHeader); h != "" {
		var err error
		if v, err = strconv.Atoi(h); err != nil {
			s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The "+protocol.VersionHeader+" header must be a number.")
			return nil, 0, false
		}
	}
	return ss, v, s.servesVersion(w, r, v)
}

// servesVersion answers and returns false when the server does not serve
// protocol version v: an app too old is told to update (426, with
// protocol.CodeUpdate, which the device maps to "update the app" and
// keeps its outbox); an app newer than the server, that the server needs
// an update (400).
func (s *Server) servesVersion(w http.ResponseWriter, r *http.Request, v int) bool {
	switch {
	case v < protocol.MinVersion:
		w.Header().Set("Upgrade", fmt.Sprintf("Freezer-Sync/%d", protocol.Version))
		s.problem(w, r, http.StatusUpgradeRequired, protocol.CodeUpdate, fmt.Sprintf(
			"This app is too old for this server (it speaks sync protocol %d; the server, %d to %d): update the app. Changes made on this device are kept and sent once it is updated.",
			v, protocol.MinVersion, protocol.Version))
		return false
	case v > protocol.Version:
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, fmt.Sprintf(
			"This app is newer than this server (it speaks sync protocol %d; the server, %d to %d): the server needs an update; tell its administrator.",
			v, protocol.MinVersion, protocol.Version))
		return false
	}
	return true
}

// handleSyncPush applies a device's batch of mutations: POST
// /api/v1/sync/push, a protocol.PushRequest (gzip or plain JSON).
func (s *Server) handleSyncPush(w http.ResponseWriter, r *http.Request, a Account) {
	ss, _, ok := s.syncStore(w, r)
	if !ok {
		return
	}
	if !isJSON(r) {
		s.problem(w, r, http.StatusUnsupportedMediaType, codeUnsupportedType, "Send the body as Content-Type: application/json.")
		return
	}
	var body io.Reader = r.Body
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The body is not valid gzip.")
			return
		}
		defer zr.Close()
		body = io.LimitReader(zr, maxSyncBody+1)
	default:
		s.problem(w, r, http.StatusUnsupportedMediaType, codeUnsupportedType, "Send the body plain or gzip-compressed, not "+enc+".")
		return
	}
	data, err := io.ReadAll(body)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge) || len(data) > maxSyncBody:
		s.problem(w, r, http.StatusRequestEntityTooLarge, codeTooLarge, "The push is too large: send at most 500 changes at a time.")
		return
	case err != nil:
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The body could not be read.")
		return
	}
	var req protocol.PushRequest
	if string(bytes.TrimSpace(data)) == "null" {
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The body is null: send a push object.")
		return
	}
	if err := json.Unmarshal(data, &req); err != nil {
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The body is not a valid push: "+jsonProblem(err))
		return
	}
	if !s.servesVersion(w, r, req.Version) {
		return
	}
	switch {
	case req.Device == "":
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "The push does not name its device.")
		return
	case len(req.Mutations) > protocol.MaxPushBatch:
		s.problem(w, r, http.StatusRequestEntityTooLarge, codeTooLarge,
			fmt.Sprintf("A push carries at most %d changes, not %d.", protocol.MaxPushBatch, len(req.Mutations)))
		return
	}
	if err := req.Check(); err != nil {
		s.v1Error(w, r, err)
		return
	}
	resp, err := ss.Push(r.Context(), a.ID, req)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	resp.Version = req.Version // the device's: what follows is additive
	writeSyncJSON(w, r, resp)
}

// handleSyncPull answers a page of changes: GET
// /api/v1/sync/pull?cursor=N&limit=M&types=TAG&skip=RANGES (skip: version
// 2, protocol.QuerySkip).
func (s *Server) handleSyncPull(w http.ResponseWriter, r *http.Request, a Account) {
	ss, version, ok := s.syncStore(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	cursor, err := strconv.ParseInt(cmpOr(q.Get(protocol.QueryCursor), "0"), 10, 64)
	if err != nil || cursor < 0 {
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, "cursor must be a number from 0.")
		return
	}
	limit, err := strconv.Atoi(cmpOr(q.Get(protocol.QueryLimit), strconv.Itoa(protocol.MaxPullPage)))
	if err != nil || limit < 1 {
		s.problem(w, r, http.StatusBadRequest, domain.EInvalid, fmt.Sprintf("limit must be a number from 1 to %d.", protocol.MaxPullPage))
		return
	}
	skip, err := protocol.ParseSkip(q.Get(protocol.QuerySkip))
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	resp, err := ss.Pull(r.Context(), a.ID, cursor, min(limit, protocol.MaxPullPage), q.Get(protocol.QueryTypes), skip)
	if err != nil {
		s.v1Error(w, r, err)
		return
	}
	resp.Version = version
	resp.Changes = protocol.ChangesFor(version, resp.Changes) // an older device gets only the fields it knows
	writeSyncJSON(w, r, resp)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// writeSyncJSON writes v as JSON, gzip-compressed when the client accepts it.
func writeSyncJSON(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		http.Error(w, textServerError, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r) || buf.Len() < minGzip {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(w)
	_, _ = zw.Write(buf.Bytes())
	_ = zw.Close()
	gzipWriters.Put(zw)
}

// minGzip is the smallest answer worth compressing: below it the gzip
// header and trailer outweigh the saving (an idle pull is ~200 bytes).
const minGzip = 1024

// gzipWriters keeps gzip writers between answers: a new one allocates
// its compression tables (about 800 KB), which cost most of an idle
// pull's time.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
