package server

// PasswordVerifications is how many bcrypt verifications the server ran.
func (s *Server) PasswordVerifications() int64 { return s.acct.verified.Load() }

// DummyPasswordHash is the hash unknown emails are compared against.
func (s *Server) DummyPasswordHash() []byte { return s.acct.dummyHash() }
