package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"freezer/domain"
)

// Pairing: a signed-in device makes a one-time code; a new device
// redeems it for a token of its own, without a password.
//
// A code is 8 characters from PairingAlphabet (31 characters: no 0/O nor
// 1/I/L, easy to read and type), about 40 bits, made by crypto/rand. Only
// its SHA-256 is stored; it is valid PairingTTL and usable once. Guessing
// is bounded where every instance counts (the shared LoginThrottle and
// RateCounter, in the database on PostgreSQL): per client address, a
// wrong code counts as a failed login would (5 free, then waits doubling
// up to 15 minutes; past 20 wrong codes over all addresses, every address
// that sent a wrong one waits too), and per account, the codes it may
// make (a wrong code names no account, so that is where an account's
// bound applies). A wrong, used or expired code gets one answer, which
// tells nothing about any household.

// PairingAlphabet is the characters of a pairing code.
const PairingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// PairingTTL is how long a pairing code is valid.
const PairingTTL = 10 * time.Minute

// pairingCodeLen is the characters of a code (without its dash).
const pairingCodeLen = 8

// Codes an account may make (per calendar minute and UTC day).
const (
	pairingsPerMinute = 10
	pairingsPerDay    = 100
)

// pairingThrottleKey is the login throttle's key for pairing attempts: no
// email (which holds an @) nor "account:N" key can take it.
const pairingThrottleKey = "pairing"

// Pairing is a new pairing code (Code in display form, ABCD-EFGH) and the
// end of its validity.
type Pairing struct {
	Code    string
	Expires time.Time
}

// msgBadPairingCode is the one answer to a wrong, used or expired code.
const msgBadPairingCode = "This pairing code does not work: it may be mistyped, already used, or older than 10 minutes. Make a new code on a signed-in device (Settings → Devices → Add a device) and try again."

// newPairingCode returns 8 random characters of PairingAlphabet (no
// modulo bias: bytes at or above 248 = 8×31 are drawn again).
func newPairingCode() string {
	var b strings.Builder
	buf := make([]byte, 16)
	for b.Len() < pairingCodeLen {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+)
		for _, c := range buf {
			if c < 248 && b.Len() < pairingCodeLen {
				b.WriteByte(PairingAlphabet[int(c)%len(PairingAlphabet)])
			}
		}
	}
	return b.String()
}

// NormalizePairingCode reads a code as a person may type it: any case,
// with or without the dash or spaces. ok is false when it is not 8
// characters of PairingAlphabet.
func NormalizePairingCode(s string) (code string, ok bool) {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "", "\t", "").Replace(s))
	if len(s) != pairingCodeLen {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(PairingAlphabet, s[i]) < 0 {
			return "", false
		}
	}
	return s, true
}

// DisplayPairingCode is a normalized code as shown: ABCD-EFGH.
func DisplayPairingCode(code string) string {
	if len(code) != pairingCodeLen {
		return code
	}
	return code[:4] + "-" + code[4:]
}

func hashPairingCode(code string) []byte {
	sum := sha256.Sum256([]byte("pairing:" + code))
	return sum[:]
}

// NewPairing makes a pairing code for the account, valid PairingTTL.
// An account may make pairingsPerMinute codes a minute.
func (s *Server) NewPairing(ctx context.Context, accountID int64) (Pairing, error) {
	key := "pairing-codes account:" + strconv.FormatInt(accountID, 10)
	if ok, _ := s.allow(ctx, key, pairingsPerMinute, pairingsPerDay); !ok {
		return Pairing{}, domain.Errorf(domain.ERateLimited, "Too many pairing codes made for this household: wait a minute, then make one more.")
	}
	code := newPairingCode()
	now := s.now()
	expires := now.Add(PairingTTL).UTC().Truncate(time.Second)
	if err := s.store.CreatePairing(ctx, accountID, hashPairingCode(code), now, expires); err != nil {
		return Pairing{}, fmt.Errorf("store pairing code: %w", err)
	}
	return Pairing{Code: DisplayPairingCode(code), Expires: expires}, nil
}

// PairingLink is the link a pairing code's QR code holds:
// <base>/pair/ABCD-EFGH.
func PairingLink(base, code string) string {
	return strings.TrimRight(base, "/") + "/pair/" + url.PathEscape(code)
}

// pairResult is what a redeemed code gives the new device.
type pairResult struct {
	token     string
	accountID int64
	device    Device
}

// redeemPairing redeems a code sent from addr for a new device's token,
// counting the attempt against addr (ERateLimited with the wait when
// it must wait).
func (s *Server) redeemPairing(ctx context.Context, code, addr string, nd NewDevice) (pairResult, time.Duration, error) {
	norm, ok := NormalizePairingCode(code)
	if !ok {
		return pairResult{}, 0, domain.FieldErrorf("code", "A pairing code has 8 letters and digits, like ABCD-EFGH (there is no 0, O, 1 or I in a code): check it and type it again.")
	}
	wait, err := s.acct.throttle.Reserve(ctx, pairingThrottleKey, addr)
	if err != nil {
		return pairResult{}, 0, fmt.Errorf("pairing throttle: %w", err)
	}
	if wait > 0 {
		return pairResult{}, wait, domain.Errorf(domain.ERateLimited, "Too many wrong pairing codes from your address: wait a little, then try again.")
	}
	token, tokenHash := NewToken()
	accountID, dev, err := s.store.RedeemPairing(ctx, hashPairingCode(norm), s.now(), tokenHash, nd)
	var settle error
	switch domain.ErrorCode(err) {
	case "":
		settle = s.acct.throttle.Succeeded(context.WithoutCancel(ctx), pairingThrottleKey, addr)
	case domain.ENotFound:
		s.log.Info("pairing code refused")
		err = domain.FieldErrorf("code", msgBadPairingCode)
	default:
		// The code was right (too many devices) or never judged.
		settle = s.acct.throttle.Cancel(context.WithoutCancel(ctx), pairingThrottleKey, addr)
	}
	if settle != nil {
		s.log.Error("pairing throttle", "err", settle)
	}
	if err != nil {
		return pairResult{}, 0, err
	}
	s.log.Info("device paired", "account", accountID, "device", dev.ID)
	return pairResult{token: token, accountID: accountID, device: dev}, 0, nil
}

// BaseURL is the server's public base URL, for the links it hands out
// (pairing links, feed URLs): Config.PublicURL when set, else the
// request's scheme and host (https behind a trusted proxy that says so
// in X-Forwarded-Proto).
func (s *Server) BaseURL(r *http.Request) string {
	if u := s.cfg.PublicURL; u != "" {
		return strings.TrimRight(u, "/")
	}
	scheme := "http"
	if r.TLS != nil || (s.cfg.ClientIPHeader != "" && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
