// Capture pipes: a real pipe (not libuv's socketpair) for a child's stdout,
// enlarged with F_SETPIPE_SZ, and a reader on the event loop that fills
// fixed-size records straight into buffers JavaScript lends it (frame-pool
// buffers), so a 675 KiB frame costs one wake-up of the event loop and one
// read(), instead of ~11 64 KiB reads, Buffers and copies.
//
// exports.capturePipe = {
//   open(bytes): { readFd, writeFd, size }   both ends O_CLOEXEC; size = what the kernel granted
//   size(fd): number                          F_GETPIPE_SZ
//   maxSize(): number                         /proc/sys/fs/pipe-max-size (0 when unreadable)
//   RecordReader(fd, recordBytes, onRecord(buf), onEnd(info))
//     .lend(buf)   a buffer (>= recordBytes) the reader may fill; it is the reader's until handed back
//     .start()     starts reading (lend at least one buffer first; reading pauses while none is lent)
//     .close()     stops reading; onEnd follows
//     .reads .emptyReads   read() calls made, and how many of them found the pipe empty (EAGAIN)
// }
// onEnd({ eof, error?, partialBytes, buffers, reads, emptyReads }) is called once, after the last
// onRecord: `buffers` are every lent buffer not handed out in a record (the
// partly filled one first), for the caller to give back to its pool. The
// reader closes its fd before onEnd.
#include "modules.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <uv.h>

namespace faultsense {
namespace {

int PipeMaxSize() {
  FILE* f = std::fopen("/proc/sys/fs/pipe-max-size", "r");
  if (!f) return 0;
  long v = 0;
  if (std::fscanf(f, "%ld", &v) != 1) v = 0;
  std::fclose(f);
  return static_cast<int>(v);
}

Napi::Value ThrowErrno(Napi::Env env, const std::string& what, int err) {
  Napi::Error e = Napi::Error::New(env, what + ": " + std::strerror(err));
  e.Set("errno", Napi::Number::New(env, err));
  e.ThrowAsJavaScriptException();
  return env.Undefined();
}

// open(bytes): a pipe whose capacity is `bytes` (rounded up by the kernel to a
// power-of-two number of pages) or, when that is refused (above
// pipe-max-size for an unprivileged process, or the user's pipe quota), the
// largest that is granted, down to the default.
Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "capturePipe.open(bytes): a number expected").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int want = info[0].As<Napi::Number>().Int32Value();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ThrowErrno(env, "pipe2", errno);
  int granted = ::fcntl(fds[0], F_GETPIPE_SZ);
  for (int size = want; size > granted && size >= 4096; size /= 2) {
    int r = ::fcntl(fds[0], F_SETPIPE_SZ, size);
    if (r >= 0) { granted = r; break; }
    if (errno != EPERM && errno != EBUSY && errno != EINVAL) break;
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("readFd", fds[0]);
  out.Set("writeFd", fds[1]);
  out.Set("size", granted);
  return out;
}

Napi::Value Size(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "capturePipe.size(fd): a number expected").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int r = ::fcntl(info[0].As<Napi::Number>().Int32Value(), F_GETPIPE_SZ);
  if (r < 0) return ThrowErrno(env, "F_GETPIPE_SZ", errno);
  return Napi::Number::New(env, r);
}

Napi::Value MaxSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), PipeMaxSize());
}

struct Lent {
  Napi::Reference<Napi::Buffer<uint8_t>>* ref;
  uint8_t* data;
};

// Reads on the event loop's own thread: a libuv poll handle on the (non-blocking)
// pipe wakes the loop when ffmpeg has written, and read() fills the current lent
// buffer; one wake-up per frame when ffmpeg writes whole frames into a pipe that
// holds them. No thread, no copies.
class RecordReader : public Napi::ObjectWrap<RecordReader> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "RecordReader", {
      InstanceMethod("lend", &RecordReader::Lend),
      InstanceMethod("start", &RecordReader::Start),
      InstanceMethod("close", &RecordReader::Close),
      InstanceAccessor("reads", &RecordReader::Reads, nullptr),
      InstanceAccessor("emptyReads", &RecordReader::EmptyReads, nullptr),
    });
  }

  explicit RecordReader(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RecordReader>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsFunction() || !info[3].IsFunction()) {
      Napi::TypeError::New(env, "RecordReader(fd, recordBytes, onRecord, onEnd)").ThrowAsJavaScriptException();
      return;
    }
    fd_ = info[0].As<Napi::Number>().Int32Value();
    double bytes = info[1].As<Napi::Number>().DoubleValue();
    if (bytes < 1 || bytes > (1 << 30)) {
      Napi::RangeError::New(env, "RecordReader: recordBytes must be 1 B to 1 GiB").ThrowAsJavaScriptException();
      return;
    }
    record_ = static_cast<size_t>(bytes);
    onRecord_ = Napi::Persistent(info[2].As<Napi::Function>());
    onEnd_ = Napi::Persistent(info[3].As<Napi::Function>());
  }

  ~RecordReader() override {
    // Only reached before start() or after the handle closed (start holds a reference until then).
    if (haveCur_) delete cur_.ref;
    for (Lent& l : lent_) delete l.ref;
    delete ctx_;
  }

 private:
  Napi::Value Reads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), reads_); }
  Napi::Value EmptyReads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), emptyReads_); }

  Napi::Value Lend(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsBuffer()) {
      Napi::TypeError::New(env, "RecordReader.lend(buffer)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    auto buf = info[0].As<Napi::Buffer<uint8_t>>();
    if (buf.Length() < record_) {
      Napi::RangeError::New(env, "RecordReader.lend: buffer smaller than a record").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (closing_) {
      Napi::Error::New(env, "RecordReader.lend: the reader has ended").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    lent_.push_back(Lent{new Napi::Reference<Napi::Buffer<uint8_t>>(Napi::Persistent(buf)), buf.Data()});
    // Reading waited for a buffer: go on.
    if (started_ && !polling_) StartPolling(env);
    return env.Undefined();
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (started_ || closing_) return env.Undefined();
    int flags = ::fcntl(fd_, F_GETFL);
    if (flags < 0 || ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK) < 0) return ThrowErrno(env, "RecordReader.start: O_NONBLOCK", errno);
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop) {
      Napi::Error::New(env, "RecordReader.start: no event loop").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    int r = uv_poll_init(loop, &poll_, fd_);
    if (r != 0) {
      Napi::Error::New(env, std::string("RecordReader.start: uv_poll_init: ") + uv_strerror(r)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    poll_.data = this;
    env_ = env;
    ctx_ = new Napi::AsyncContext(env, "faultsense.capturePipe");
    started_ = true;
    Ref();  // kept alive until the handle is closed
    StartPolling(env);
    return env.Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (closing_) return env.Undefined();
    if (!started_) {
      // Never started: end at once (the fd is the reader's to close).
      closing_ = true;
      ::close(fd_);
      fd_ = -1;
      onEnd_.Call({EndInfo(env)});
      return env.Undefined();
    }
    Finish(false, 0);
    return env.Undefined();
  }

  void StartPolling(Napi::Env env) {
    int r = uv_poll_start(&poll_, UV_READABLE | UV_DISCONNECT, OnPoll);
    if (r != 0) {
      Napi::Error::New(env, std::string("RecordReader: uv_poll_start: ") + uv_strerror(r)).ThrowAsJavaScriptException();
      return;
    }
    polling_ = true;
  }

  static void OnPoll(uv_poll_t* handle, int status, int) {
    static_cast<RecordReader*>(handle->data)->Drain(status);
  }

  // Reads what the pipe holds into lent buffers, handing on each full one.
  void Drain(int status) {
    if (closing_) return;
    Napi::HandleScope scope(env_);
    if (status < 0) {
      Finish(false, status);
      return;
    }
    for (;;) {
      if (!haveCur_) {
        if (lent_.empty()) {  // wait for lend()
          uv_poll_stop(&poll_);
          polling_ = false;
          return;
        }
        cur_ = lent_.front();
        lent_.pop_front();
        haveCur_ = true;
        filled_ = 0;
      }
      size_t want = record_ - filled_;
      ssize_t n = ::read(fd_, cur_.data + filled_, want);
      ++reads_;
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          ++emptyReads_;
          return;
        }
        Finish(false, uv_translate_sys_error(errno));
        return;
      }
      if (n == 0) {
        Finish(true, 0);
        return;
      }
      filled_ += static_cast<size_t>(n);
      // A pipe's read() returns less than asked only when it held less: it is empty now, and the
      // (level-triggered) poll wakes the loop when the writer adds more. Reading again would only
      // return EAGAIN: one wasted syscall per wake-up.
      if (static_cast<size_t>(n) < want) return;
      if (filled_ < record_) continue;
      Napi::Value buf = cur_.ref->Value();
      delete cur_.ref;
      haveCur_ = false;
      Call(onRecord_, buf);
      if (closing_) return;  // closed from the callback
      // One record per wake-up: whether the pipe holds more is not known without a syscall (a read
      // that may return EAGAIN, or FIONREAD); the poll is level-triggered, so a pipe that still holds
      // data wakes the loop again at once, and one that does not (the usual case: ffmpeg writes a
      // record at a time) costs nothing more.
      return;
    }
  }

  // Calls back into JavaScript from the loop; an exception there is an uncaught one.
  void Call(Napi::FunctionReference& fn, Napi::Value arg) {
    Napi::Env env(env_);
    fn.MakeCallback(Value(), {arg}, *ctx_);
    if (env.IsExceptionPending()) {
      Napi::Error e = env.GetAndClearPendingException();
      napi_fatal_exception(env, e.Value());
    }
  }

  void Finish(bool eof, int uvError) {
    if (closing_) return;
    closing_ = true;
    eof_ = eof;
    error_ = uvError;
    uv_poll_stop(&poll_);
    polling_ = false;
    uv_close(reinterpret_cast<uv_handle_t*>(&poll_), OnClosed);
  }

  static void OnClosed(uv_handle_t* handle) {
    auto* self = static_cast<RecordReader*>(handle->data);
    Napi::Env env = self->env_;
    Napi::HandleScope scope(env);
    ::close(self->fd_);
    self->fd_ = -1;
    Napi::Object end = self->EndInfo(env);
    self->Call(self->onEnd_, end);
    delete self->ctx_;
    self->ctx_ = nullptr;
    self->Unref();
  }

  // { eof, error?, partialBytes, buffers }: every buffer still lent, the partly filled one first.
  Napi::Object EndInfo(Napi::Env env) {
    Napi::Array bufs = Napi::Array::New(env);
    uint32_t i = 0;
    size_t partial = 0;
    if (haveCur_) {
      partial = filled_;
      bufs[i++] = cur_.ref->Value();
      delete cur_.ref;
      haveCur_ = false;
    }
    for (Lent& l : lent_) { bufs[i++] = l.ref->Value(); delete l.ref; }
    lent_.clear();
    Napi::Object end = Napi::Object::New(env);
    end.Set("eof", eof_);
    if (error_) end.Set("error", std::string(uv_strerror(error_)));
    end.Set("partialBytes", static_cast<double>(partial));
    end.Set("reads", reads_);
    end.Set("emptyReads", emptyReads_);
    end.Set("buffers", bufs);
    return end;
  }

  int fd_ = -1;
  size_t record_ = 0;
  bool started_ = false;
  bool polling_ = false;
  bool closing_ = false;
  bool eof_ = false;
  int error_ = 0;
  std::deque<Lent> lent_;
  Lent cur_{};
  bool haveCur_ = false;
  size_t filled_ = 0;
  double reads_ = 0;       // read() calls made
  double emptyReads_ = 0;  // of them, the ones that found the pipe empty (EAGAIN)
  uv_poll_t poll_{};
  napi_env env_ = nullptr;
  Napi::AsyncContext* ctx_ = nullptr;
  Napi::FunctionReference onRecord_;
  Napi::FunctionReference onEnd_;
};

}  // namespace

void InitCapturePipe(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  m.Set("open", Napi::Function::New(env, Open, "open"));
  m.Set("size", Napi::Function::New(env, Size, "size"));
  m.Set("maxSize", Napi::Function::New(env, MaxSize, "maxSize"));
  m.Set("RecordReader", RecordReader::Define(env));
  exports.Set("capturePipe", m);
}

}  // namespace faultsense
