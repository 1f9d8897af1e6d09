// glibc malloc, seen and steered from JavaScript (docs/footprint.md):
//   malloc.trim(pad = 0) → boolean      malloc_trim: free pages inside the arenas go back
//                                        to the kernel (madvise), not only the heap's top
//   malloc.stats() → {arenaBytes, inUseBytes, freeBytes, mmappedBytes, mmappedChunks,
//                     topReleasableBytes}   mallinfo2 of every arena together
// On a libc without these (musl), `available` is false and both calls throw.
#include <napi.h>

#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "modules.h"

namespace faultsense {
namespace {

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
constexpr bool kHaveMallinfo2 = true;
#else
constexpr bool kHaveMallinfo2 = false;
#endif

bool Unsupported(Napi::Env env, const char* what) {
#if defined(__GLIBC__)
  if (std::string(what) == "trim" || kHaveMallinfo2) return false;
#endif
  Napi::Error::New(env, std::string("malloc.") + what + "() needs glibc (2.33+ for stats); this libc has no such call")
      .ThrowAsJavaScriptException();
  return true;
}

Napi::Value Trim(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (Unsupported(env, "trim")) return env.Undefined();
  double pad = info.Length() >= 1 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  if (pad < 0) {
    Napi::TypeError::New(env, "malloc.trim(pad): pad must be a number of bytes >= 0").ThrowAsJavaScriptException();
    return env.Undefined();
  }
#if defined(__GLIBC__)
  return Napi::Boolean::New(env, malloc_trim(static_cast<size_t>(pad)) == 1);
#else
  return env.Undefined();
#endif
}

Napi::Value Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (Unsupported(env, "stats")) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 m = mallinfo2();
  o.Set("arenaBytes", static_cast<double>(m.arena));          // bytes held by the arenas (sbrk + arena mmaps)
  o.Set("inUseBytes", static_cast<double>(m.uordblks));       // allocated from the arenas
  o.Set("freeBytes", static_cast<double>(m.fordblks));        // free chunks inside the arenas
  o.Set("mmappedBytes", static_cast<double>(m.hblkhd));       // chunks mapped on their own
  o.Set("mmappedChunks", static_cast<double>(m.hblks));
  o.Set("topReleasableBytes", static_cast<double>(m.keepcost));
#endif
  return o;
}

}  // namespace

void InitMallocControl(Napi::Env env, Napi::Object exports) {
  Napi::Object ns = Napi::Object::New(env);
#if defined(__GLIBC__)
  ns.Set("available", Napi::Boolean::New(env, true));
#else
  ns.Set("available", Napi::Boolean::New(env, false));
#endif
  ns.Set("trim", Napi::Function::New(env, Trim, "trim"));
  ns.Set("stats", Napi::Function::New(env, Stats, "stats"));
  exports.Set("malloc", ns);
}

}  // namespace faultsense
