/*
 * TEST-ONLY — never shipped, never part of an installer.
 *
 * Go's Windows runtime fills its random numbers through
 * bcryptprimitives.dll!ProcessPrng, which every Windows 10/11 has but Wine 8
 * (Debian 12's wine64) lacks: without it a Go program aborts at start-up
 * under Wine. scripts/windows-lane.sh builds this stand-in with
 * x86_64-w64-mingw32-gcc and copies it into the test Wine prefix's
 * system32, so that the Windows lane can run huicai.exe.
 *
 * ProcessPrng is implemented with RtlGenRandom (advapi32!SystemFunction036),
 * Wine's own cryptographic random source.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng fills data with len random bytes; like Windows', it always succeeds or aborts. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            ExitProcess(2);
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
