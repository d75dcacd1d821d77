/* For the release check only, never shipped: Debian's Wine 8 has no
   bcryptprimitives.dll, which Windows has since Windows 10 and from which
   Rust's standard library takes random bytes (ProcessPrng). This stand-in,
   put beside bantin.exe in the check's folder, gives them from
   RtlGenRandom (advapi32's SystemFunction036), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
