package server

// CacheStats returns how many entries the compat response cache holds and
// the bytes it counts for them.
func (s *Server) CacheStats() (entries int, bytes int64) { return s.cache.stats() }
