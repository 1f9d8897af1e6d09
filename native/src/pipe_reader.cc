// Capture pipes: a real pipe (not libuv's socketpair) for a child's stdout,
// enlarged with F_SETPIPE_SZ, and a reader thread that fills fixed-size
// records straight into buffers JavaScript lends it (frame-pool buffers), so
// a 675 KiB frame costs one wake-up of the event loop and no intermediate
// Buffers, instead of ~11 64 KiB reads, Buffers and copies.
//
// exports.capturePipe = {
//   open(bytes): { readFd, writeFd, size }   both ends O_CLOEXEC; size = what the kernel granted
//   size(fd): number                          F_GETPIPE_SZ
//   maxSize(): number                         /proc/sys/fs/pipe-max-size (0 when unreadable)
//   RecordReader(fd, recordBytes, onRecord(buf), onEnd(info))
//     .lend(buf)   a buffer (>= recordBytes) the thread may fill; it is the reader's until handed back
//     .start()     starts the thread (call after lending at least one buffer)
//     .close()     stops reading; onEnd follows
// }
// onEnd({ eof, error?, partialBytes, buffers }) is called once, after the last
// onRecord: `buffers` are every lent buffer not handed out in a record (the
// partly filled one first), for the caller to give back to its pool. The
// reader closes its fd before onEnd.
#include "modules.h"

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <string>
#include <sys/eventfd.h>
#include <thread>
#include <unistd.h>

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

// What the thread hands to the event loop: a full record, or the end.
struct Delivery {
  bool end = false;
  Lent record{};
  // end only
  bool eof = false;
  int error = 0;
  size_t partialBytes = 0;
  std::deque<Lent> leftover;
};

class RecordReader : public Napi::ObjectWrap<RecordReader> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "RecordReader", {
      InstanceMethod("lend", &RecordReader::Lend),
      InstanceMethod("start", &RecordReader::Start),
      InstanceMethod("close", &RecordReader::Close),
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
    wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_ < 0) ThrowErrno(env, "eventfd", errno);
  }

  ~RecordReader() override {
    if (thread_.joinable()) thread_.detach();  // cannot happen while started: start() holds a reference
    if (wake_ >= 0) ::close(wake_);
    for (Lent& l : lent_) delete l.ref;
  }

 private:
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
    if (ended_) {
      Napi::Error::New(env, "RecordReader.lend: the reader has ended").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Lent l{new Napi::Reference<Napi::Buffer<uint8_t>>(Napi::Persistent(buf)), buf.Data()};
    {
      std::lock_guard<std::mutex> lock(mu_);
      lent_.push_back(l);
    }
    cv_.notify_one();
    return env.Undefined();
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (started_) return env.Undefined();
    if (wake_ < 0) {
      Napi::Error::New(env, "RecordReader: no wake-up eventfd").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    started_ = true;
    Ref();  // kept alive until onEnd
    tsfn_ = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                          "faultsense.capturePipe", 0, 1);
    thread_ = std::thread([this] { Run(); });
    return env.Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    RequestStop();
    if (!started_ && !ended_) {
      // Never started: end at once (the fd is the reader's to close).
      ended_ = true;
      if (fd_ >= 0) ::close(fd_);
      fd_ = -1;
      Napi::Env env = info.Env();
      Napi::Array bufs = Napi::Array::New(env);
      uint32_t i = 0;
      for (Lent& l : lent_) { bufs[i++] = l.ref->Value(); delete l.ref; }
      lent_.clear();
      Napi::Object end = Napi::Object::New(env);
      end.Set("eof", false);
      end.Set("partialBytes", 0);
      end.Set("buffers", bufs);
      onEnd_.Call({end});
    }
    return info.Env().Undefined();
  }

  void RequestStop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (wake_ >= 0) {
      uint64_t one = 1;
      ssize_t r = ::write(wake_, &one, sizeof one);
      (void)r;
    }
  }

  // The reader thread: poll(fd, wake) then read into the current lent buffer.
  void Run() {
    bool haveCur = false;
    Lent cur{};
    size_t filled = 0;
    bool eof = false;
    int error = 0;
    for (;;) {
      if (!haveCur) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !lent_.empty(); });
        if (stop_) break;
        cur = lent_.front();
        lent_.pop_front();
        haveCur = true;
        filled = 0;
      }
      pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_, POLLIN, 0}};
      int r = ::poll(fds, 2, -1);
      if (r < 0) {
        if (errno == EINTR) continue;
        error = errno;
        break;
      }
      if (fds[1].revents) break;
      if (!fds[0].revents) continue;
      ssize_t n = ::read(fd_, cur.data + filled, record_ - filled);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        error = errno;
        break;
      }
      if (n == 0) {
        eof = true;
        break;
      }
      filled += static_cast<size_t>(n);
      if (filled == record_) {
        auto* d = new Delivery();
        d->record = cur;
        haveCur = false;
        Post(d);
      }
    }
    ::close(fd_);
    auto* d = new Delivery();
    d->end = true;
    d->eof = eof;
    d->error = error;
    if (haveCur) {
      d->partialBytes = filled;
      d->leftover.push_back(cur);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (Lent& l : lent_) d->leftover.push_back(l);
      lent_.clear();
    }
    Post(d);
    tsfn_.Release();
  }

  void Post(Delivery* d) {
    napi_status s = tsfn_.BlockingCall(d, [this](Napi::Env env, Napi::Function, Delivery* d) { Deliver(env, d); });
    if (s != napi_ok) {
      // The environment is going away: nobody will take these buffers.
      delete d;
    }
  }

  // On the event loop.
  void Deliver(Napi::Env env, Delivery* d) {
    if (!env) {  // finalizing: drop
      delete d;
      return;
    }
    Napi::HandleScope scope(env);
    if (!d->end) {
      Napi::Value buf = d->record.ref->Value();
      delete d->record.ref;
      delete d;
      onRecord_.Call({buf});
      return;
    }
    ended_ = true;
    if (thread_.joinable()) thread_.join();
    fd_ = -1;
    Napi::Array bufs = Napi::Array::New(env);
    uint32_t i = 0;
    for (Lent& l : d->leftover) { bufs[i++] = l.ref->Value(); delete l.ref; }
    Napi::Object end = Napi::Object::New(env);
    end.Set("eof", d->eof);
    if (d->error) end.Set("error", std::string(std::strerror(d->error)));
    end.Set("partialBytes", static_cast<double>(d->partialBytes));
    end.Set("buffers", bufs);
    delete d;
    Unref();
    onEnd_.Call({end});
  }

  int fd_ = -1;
  int wake_ = -1;
  size_t record_ = 0;
  bool started_ = false;
  bool ended_ = false;
  bool stop_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Lent> lent_;
  std::thread thread_;
  Napi::ThreadSafeFunction tsfn_;
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
