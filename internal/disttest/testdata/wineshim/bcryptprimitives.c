/*
 * bcryptprimitives.c: a stand-in for Windows' bcryptprimitives.dll, for the
 * Wine test only (make test-windows builds it into a throwaway Wine prefix;
 * it is never shipped). Go programs for Windows call ProcessPrng from this
 * DLL before main; Wine 8.0 has no such DLL. ProcessPrng fills the buffer
 * from RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 *
 *   x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
