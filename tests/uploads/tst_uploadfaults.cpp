// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Uploads under fault injection (docs/protocol.md §8, §12): the socket dropped at
// every step of an upload, in channel mode and in external mode, on both wire
// profiles, through MusubiTestServer over a real loopback WebSocket. Every
// row checks the same promises:
//  - the MusubiUpload handle settles to a defined status (Failed with a clear
//    error, or Succeeded when the server had already finished), never stays
//    Selecting or Uploading, and no entry is left pending or uploading;
//  - no sub-channel stays joined or is rejoined: the server never sees a
//    second join for an entry ref (a rejoin with a still valid token would
//    start a second upload, §8.6.6);
//  - pending pushes, armed timers, channels and objects get back to their
//    idle values, and to zero once the connection is closed;
//  - the root keeps its last good state, converges after the reconnect, and
//    a fresh select() + start() then uploads the file.

#include "uploadtestutil.h"

#include "../common/connectioncensus.h"

#include <musubiconnection.h>
#include <musubiroot.h>
#include <musubistore.h>
#include <musubistoretree.h>
#include <musubitestserver.h>
#include <musubiteststore.h>
#include <musubiupload.h>
#include <musubiuploader.h>
#include <musubiuploadjob.h>
#include <phoenixchannel.h>
#include <phoenixsocket.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using MusubiTests::Census;
using MusubiTests::describe;

namespace {

const QString kModule = u"Test.UploadFaults"_s;
const QString kUploadTopic = u"musubi_upload:"_s;
constexpr int kChunkSize = 1000;
constexpr int kChunks = 10; // the channel-mode file is exactly this many chunks

QByteArray pattern(qint64 size, int seed)
{
    QByteArray data(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        data[i] = char((i * 131 + seed) & 0xff);
    return data;
}

//! An external uploader that the test ends by hand (holds every job).
class HeldUploader : public MusubiUploader
{
public:
    QList<QPointer<MusubiUploadJob>> jobs;
    int cancelled = 0;
    bool finishAtOnce = false; // for the fresh upload after the reconnect

    void upload(MusubiUploadJob *job) override
    {
        jobs.append(job);
        connect(job, &MusubiUploadJob::cancelled, this, [this] { ++cancelled; });
        if (!finishAtOnce)
            return;
        QPointer<MusubiUploadJob> guard(job);
        QTimer::singleShot(0, this, [guard] {
            if (!guard)
                return;
            guard->reportProgress(50);
            guard->finish();
        });
    }
};

bool isUploadTopic(const QString &topic)
{
    return topic.startsWith(kUploadTopic);
}

} // namespace

class tst_UploadFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void dropDuringUpload_data();
    void dropDuringUpload();

private:
    bool mountRoot(MusubiConnection::Protocol protocol);
    MusubiUpload *upload(const QString &name) const;
    QString writeFile(const QString &name, const QByteArray &data);
    QStringList serverFiles() const;
    Census census() { return m_census->take(); }
    //! Queues a drop of every client socket for the next event-loop turn.
    void dropSoon();
    //! No entry is left pending or uploading: each one ended.
    void verifyEntriesSettled(MusubiUpload *handle);
    //! No sub-channel is joined on either side, and no entry ref was joined twice.
    void verifyNoUploadChannel();
    //! The root equals the server's last tree and commands work again.
    void verifyConverged();
    //! select() + start() of a new file after the reconnect succeeds.
    void verifyFreshUpload(MusubiUpload *handle, bool external);
    void verifyCleanShutdown();

    std::unique_ptr<MusubiTestServer> m_server;
    std::unique_ptr<MusubiConnection> m_connection;
    std::unique_ptr<MusubiRoot> m_root;
    std::unique_ptr<QTemporaryDir> m_files;
    HeldUploader m_uploader;
    QHash<QString, int> m_uploadJoins; // phx_join per musubi_upload topic, as the server saw them
    std::optional<MusubiTests::ConnectionCensus> m_census;
};

void tst_UploadFaults::initTestCase()
{
    qRegisterMetaType<MusubiUpload::Status>();
}

void tst_UploadFaults::init()
{
    m_files = std::make_unique<QTemporaryDir>();
    QVERIFY(m_files->isValid());
    m_uploadJoins.clear();
    m_uploader.jobs.clear();
    m_uploader.cancelled = 0;
    m_uploader.finishAtOnce = false;
    m_server = std::make_unique<MusubiTestServer>();
    m_server->registerRoot(kModule, [](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"title"_s, u"uploads"_s}, {u"count"_s, 7}});
        store->declareUpload(u"avatar"_s, MusubiTestUploadConfig({}, 1, 1000000, kChunkSize));
        MusubiTestUploadConfig external({}, 1, 1000000, kChunkSize);
        external.externalUploader = u"s3"_s;
        external.externalMeta = {{u"url"_s, u"https://uploads.example.test/{ref}"_s}};
        store->declareUpload(u"doc"_s, external);
        store->onCommand(u"echo"_s,
                         [](const QJsonObject &payload) { return MusubiTestReply::ok(payload); });
        return store;
    });
    connect(m_server.get(), &MusubiTestServer::messageReceived, this,
            [this](const QString &topic, const QString &event) {
                if (event == "phx_join"_L1 && isUploadTopic(topic))
                    ++m_uploadJoins[topic];
            });
    QVERIFY(m_server->listen());
}

void tst_UploadFaults::cleanup()
{
    m_root.reset();
    m_census.reset();
    m_connection.reset();
    m_server.reset();
    m_files.reset();
}

bool tst_UploadFaults::mountRoot(MusubiConnection::Protocol protocol)
{
    m_connection = std::make_unique<MusubiConnection>();
    m_connection->setUrl(m_server->url());
    m_connection->setProtocol(protocol);
    // Long enough for a loaded (sanitizer) run; no row waits for a timeout.
    m_connection->setJoinTimeout(10000);
    m_connection->setPushTimeout(10000);
    m_connection->registerUploader(u"s3"_s, &m_uploader);
    m_census.emplace(m_connection.get());
    m_root = std::make_unique<MusubiRoot>(m_connection.get(), kModule, u"f1"_s);
    m_census->setRoot(m_root.get());
    m_root->mount();
    return QTest::qWaitFor([this] { return m_root->status() == MusubiRoot::Status::Live; }, 10000)
            && upload(u"avatar"_s) && upload(u"doc"_s);
}

MusubiUpload *tst_UploadFaults::upload(const QString &name) const
{
    return UploadTests::uploadOf(m_root.get(), name);
}

QString tst_UploadFaults::writeFile(const QString &name, const QByteArray &data)
{
    return UploadTests::writeFile(m_files->path(), name, data);
}

QStringList tst_UploadFaults::serverFiles() const
{
    return UploadTests::serverFiles(*m_server);
}

void tst_UploadFaults::dropSoon()
{
    // On the next turn: the server first finishes the frame it is handling
    // (and writes whatever it answers); the drop flushes written frames.
    QTimer::singleShot(0, m_server.get(), &MusubiTestServer::dropConnections);
}

void tst_UploadFaults::verifyEntriesSettled(MusubiUpload *handle)
{
    const QList<MusubiUploadEntry> entries = handle->entryModel()->entries();
    for (const MusubiUploadEntry &entry : entries) {
        QVERIFY2(entry.status == MusubiUploadEntry::Status::Failed
                         || entry.status == MusubiUploadEntry::Status::Succeeded,
                 qPrintable(u"entry %1 is still %2"_s.arg(
                         entry.ref, MusubiUploadEntry::statusName(entry.status))));
    }
    QCOMPARE(handle->activeTransferCount(), 0);
}

void tst_UploadFaults::verifyNoUploadChannel()
{
    for (const QString &topic : m_server->joinedTopics())
        QVERIFY2(!isUploadTopic(topic), qPrintable(topic));
    for (const PhoenixChannel *channel : m_connection->socket()->channels())
        QVERIFY2(!isUploadTopic(channel->topic()), qPrintable(channel->topic()));
    for (auto it = m_uploadJoins.cbegin(); it != m_uploadJoins.cend(); ++it)
        QVERIFY2(it.value() == 1,
                 qPrintable(u"%1 joined %2 times"_s.arg(it.key()).arg(it.value())));
}

void tst_UploadFaults::verifyConverged()
{
    QTRY_COMPARE_WITH_TIMEOUT(m_root->status(), MusubiRoot::Status::Live, 10000);
    QTRY_COMPARE(m_root->snapshot(), m_server->wireTree(m_root->rootId()));
    QCOMPARE(m_root->version(), m_server->rootVersion(m_root->rootId()));
    QCOMPARE(m_root->store()->value(u"count"_s).toInt(), 7);
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    // A round trip on the new socket: any sub-channel rejoin would have been
    // sent before it (the socket rejoins its channels as soon as it opens).
    QFuture<QJsonValue> echo = m_root->dispatch({}, u"echo"_s, {{u"ping"_s, 1}});
    QVERIFY(QTest::qWaitFor([&] { return echo.isFinished(); }, 10000));
    QCOMPARE(echo.result().toObject().value(u"ping"_s).toInt(), 1);
}

void tst_UploadFaults::verifyFreshUpload(MusubiUpload *handle, bool external)
{
    const QByteArray data = pattern(3 * kChunkSize + 17, 3);
    const QString path = writeFile(external ? u"fresh.pdf"_s : u"fresh.bin"_s, data);
    QSignalSpy preflight(handle, &MusubiUpload::preflightFinished);
    QSignalSpy finished(handle, &MusubiUpload::finished);
    m_uploader.finishAtOnce = true;
    handle->selectFiles({path});
    QCOMPARE(handle->status(), MusubiUpload::Status::Selecting);
    QVERIFY(preflight.wait(10000));
    const QJsonArray accepted = preflight.at(0).at(0).toJsonArray();
    QCOMPARE(accepted.size(), 1);
    const QString ref = accepted.at(0)[u"ref"_s].toString();
    QTRY_VERIFY(handle->entryModel()->indexOfRef(ref) >= 0);
    handle->start();
    QVERIFY(finished.count() == 1 || finished.wait(10000));
    QCOMPARE(finished.at(0).at(0).toJsonArray(), QJsonArray());
    QCOMPARE(handle->status(), MusubiUpload::Status::Succeeded);
    // The server's complete op lands after the last reply.
    QTRY_COMPARE(handle->entryModel()->entryAt(handle->entryModel()->indexOfRef(ref)).status,
                 MusubiUploadEntry::Status::Succeeded);
    const QList<MusubiUploadEntry> entries = handle->entryModel()->entries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.at(0).progress, 100);
    if (!external) {
        QFile received(QDir(m_server->uploadDirectory()).filePath(ref));
        QVERIFY(received.open(QIODevice::ReadOnly));
        QCOMPARE(received.readAll(), data);
    }
}

void tst_UploadFaults::verifyCleanShutdown()
{
    m_root.reset();
    m_census->verifyCleanShutdown(m_server.get());
    if (QTest::currentTestFailed())
        return;
    QTRY_COMPARE(m_server->joinedTopics(), QStringList());
}

// --- the socket dropped at every step of an upload -----------------------------------

void tst_UploadFaults::dropDuringUpload_data()
{
    QTest::addColumn<MusubiConnection::Protocol>("protocol");
    QTest::addColumn<QString>("step");
    // The status the handle must settle to, and the code of the error it reports
    // (on the handle, or on the transfer in finished()); empty for Succeeded.
    QTest::addColumn<MusubiUpload::Status>("settled");
    QTest::addColumn<QString>("code");
    using S = MusubiUpload::Status;
    const QList<std::tuple<const char *, S, const char *>> steps{
            // channel mode (docs/protocol.md §8.4-8.6, §8.8)
            {"preflight pending", S::Failed, "disconnected"},
            {"preflight answered", S::Failed, "disconnected"},
            {"join pending", S::Failed, "disconnected"},
            {"first chunk pending", S::Failed, "disconnected"},
            {"middle chunk pending", S::Failed, "disconnected"},
            {"last chunk answered", S::Succeeded, ""},
            {"cancel pending", S::Succeeded, ""},
            {"cancel unanswered", S::Succeeded, ""},
            // external mode (§8.7)
            {"uploader running", S::Failed, "disconnected"},
            {"progress relay pending", S::Failed, "disconnected"},
            {"upload_error pending", S::Failed, "external_failed"},
    };
    for (const auto &profile :
         {std::pair{"shared", MusubiConnection::Protocol::SharedChannel},
          std::pair{"per-root", MusubiConnection::Protocol::PerRootChannel}}) {
        for (const auto &[step, settled, code] : steps) {
            QTest::addRow("%s/%s", profile.first, step)
                    << profile.second << QString::fromLatin1(step) << settled
                    << QString::fromLatin1(code);
        }
    }
}

void tst_UploadFaults::dropDuringUpload()
{
    QFETCH(MusubiConnection::Protocol, protocol);
    QFETCH(QString, step);
    QFETCH(MusubiUpload::Status, settled);
    QFETCH(QString, code);
    const bool external = step == "uploader running"_L1 || step == "progress relay pending"_L1
            || step == "upload_error pending"_L1;

    // Context of every connection made here: they all end with the row.
    QObject scope;
    QVERIFY(mountRoot(protocol));
    QPointer<MusubiUpload> handle = upload(external ? u"doc"_s : u"avatar"_s);
    QTRY_COMPARE(handle->chunkSize(), kChunkSize);
    const Census idle = census();
    QCOMPARE(idle.pushes, 0);
    QCOMPARE(idle.transfers, 0);
    const QJsonObject lastGood = m_root->snapshot();

    // The root's state while it recovers: never blanked.
    QList<QJsonObject> keptTrees;
    connect(m_root.get(), &MusubiRoot::statusChanged, &scope, [&](MusubiRoot::Status status) {
        if (status == MusubiRoot::Status::Reconnecting)
            keptTrees << m_root->snapshot();
    });
    QSignalSpy disconnected(m_server.get(), &MusubiTestServer::clientDisconnected);
    QSignalSpy preflight(handle.data(), &MusubiUpload::preflightFinished);
    QSignalSpy finished(handle.data(), &MusubiUpload::finished);
    QSignalSpy cancelFinished(handle.data(), &MusubiUpload::cancelFinished);
    QList<MusubiUpload::Status> statuses;
    connect(handle.data(), &MusubiUpload::statusChanged, &scope,
            [&](MusubiUpload::Status status) { statuses << status; });
    // Envelopes the server wrote, to prove which ops never reached the client.
    QList<QJsonObject> uploadOpsSent;
    connect(m_server.get(), &MusubiTestServer::envelopeSent, &scope,
            [&](const QString &, const QJsonObject &envelope) {
                for (const QJsonValue &op : envelope.value(u"upload_ops"_s).toArray())
                    uploadOpsSent << op.toObject();
            });
    int chunks = 0;
    auto onChunk = [&](int number, const std::function<void()> &fault) {
        return connect(m_server.get(), &MusubiTestServer::messageReceived, &scope,
                       [&chunks, number, fault](const QString &topic, const QString &event) {
                           if (!isUploadTopic(topic) || event != "chunk"_L1)
                               return;
                           if (++chunks == number)
                               fault();
                       });
    };
    // Once, on the first message with event \a wanted.
    auto onEvent = [&](const QString &wanted, const std::function<void()> &fault) {
        auto fired = std::make_shared<bool>(false);
        connect(m_server.get(), &MusubiTestServer::messageReceived, &scope,
                [wanted, fault, fired](const QString &, const QString &event) {
                    if (event != wanted || *fired)
                        return;
                    *fired = true;
                    fault();
                });
    };
    // messageReceived comes before the server handles the message, so a reply
    // fault armed there applies to that very message.
    auto withholdAndDrop = [this](const QString &event) {
        return [this, event] {
            m_server->withholdNextReply(event);
            dropSoon();
        };
    };

    const QByteArray data = pattern(kChunks * kChunkSize, 1);
    const QString path = writeFile(external ? u"a.pdf"_s : u"a.bin"_s, data);
    QString ref;
    auto selectAndWait = [&] {
        handle->selectFiles({path});
        QVERIFY(preflight.wait(10000));
        const QJsonArray accepted = preflight.at(0).at(0).toJsonArray();
        QCOMPARE(accepted.size(), 1);
        ref = accepted.at(0)[u"ref"_s].toString();
        QTRY_VERIFY(handle->entryModel()->indexOfRef(ref) >= 0);
    };

    if (step == "preflight pending"_L1) {
        onEvent(u"allow_upload"_s, withholdAndDrop(u"allow_upload"_s));
        handle->selectFiles({path});
        QVERIFY(preflight.count() == 1 || preflight.wait(10000));
        QCOMPARE(preflight.at(0).at(0).toJsonArray(), QJsonArray()); // nothing accepted
        // The server took the preflight (its add op may have reached the client).
        QCOMPARE(disconnected.count(), 1);
    } else if (step == "preflight answered"_L1) {
        selectAndWait();
        QCOMPARE(handle->status(), MusubiUpload::Status::Selecting);
        m_server->dropConnections();
    } else if (step == "join pending"_L1) {
        selectAndWait();
        onEvent(u"phx_join"_s, withholdAndDrop(u"phx_join"_s));
        handle->start();
    } else if (step == "first chunk pending"_L1) {
        selectAndWait();
        onChunk(1, withholdAndDrop(u"chunk"_s));
        handle->start();
    } else if (step == "middle chunk pending"_L1) {
        selectAndWait();
        onChunk(kChunks / 2, withholdAndDrop(u"chunk"_s));
        handle->start();
    } else if (step == "last chunk answered"_L1) {
        selectAndWait();
        // The reply to the last chunk is written, then the socket goes before
        // the complete op (queued for the next turn, behind the drop) is sent.
        onChunk(kChunks, [this] { dropSoon(); });
        handle->start();
    } else if (step == "cancel pending"_L1 || step == "cancel unanswered"_L1) {
        selectAndWait();
        // The transfer stands still with a chunk in flight: nothing can finish
        // it before the cancel.
        onChunk(3, [this] { m_server->withholdNextReply(u"chunk"_s); });
        handle->start();
        QTRY_COMPARE(chunks, 3);
        if (step == "cancel pending"_L1) {
            // The server handles cancel_upload, the reply never comes.
            onEvent(u"cancel_upload"_s, withholdAndDrop(u"cancel_upload"_s));
        } else {
            // The socket goes before the server reads cancel_upload: no reply, no cancel op.
            onEvent(u"cancel_upload"_s, [this] { m_server->dropConnections(); });
        }
        handle->cancel(ref);
        QVERIFY(cancelFinished.count() == 1 || cancelFinished.wait(10000));
    } else if (step == "uploader running"_L1) {
        selectAndWait();
        handle->start();
        QTRY_COMPARE(m_uploader.jobs.size(), 1);
        m_server->dropConnections();
    } else if (step == "progress relay pending"_L1) {
        selectAndWait();
        handle->start();
        QTRY_COMPARE(m_uploader.jobs.size(), 1);
        onEvent(u"upload_progress"_s, withholdAndDrop(u"upload_progress"_s));
        m_uploader.jobs.first()->reportProgress(40);
    } else if (step == "upload_error pending"_L1) {
        selectAndWait();
        handle->start();
        QTRY_COMPARE(m_uploader.jobs.size(), 1);
        onEvent(u"upload_error"_s, withholdAndDrop(u"upload_error"_s));
        m_uploader.jobs.first()->fail(u"PUT 500"_s);
    } else {
        QFAIL(qPrintable(u"unknown step "_s + step));
    }

    // The fault happened: exactly one socket went down.
    QTRY_COMPARE(disconnected.count(), 1);
    QTRY_VERIFY(!keptTrees.isEmpty());
    for (const QJsonObject &tree : std::as_const(keptTrees))
        QCOMPARE(tree, lastGood);

    // The handle settles: never left selecting or uploading.
    QTRY_COMPARE(handle->status(), settled);
    if (handle->status() == MusubiUpload::Status::Failed) {
        QStringList codes;
        for (const QJsonValue &error : handle->errors())
            codes << error[u"code"_s].toString();
        if (!finished.isEmpty()) {
            for (const QJsonValue &error : finished.at(0).at(0).toJsonArray())
                codes << error[u"code"_s].toString();
        }
        QVERIFY2(codes.contains(code), qPrintable(codes.join(u',')));
    }
    if (step != "preflight pending"_L1 && step != "preflight answered"_L1) {
        // start() ran: exactly one finished(), and cancel()/the error reached the end.
        QTRY_COMPARE(finished.count(), 1);
        QVERIFY(!statuses.contains(MusubiUpload::Status::Idle));
    } else {
        QCOMPARE(finished.count(), 0);
        QCOMPARE(preflight.count(), 1);
    }
    verifyEntriesSettled(handle);

    // Step-specific outcomes.
    if (step == "last chunk answered"_L1) {
        // The client had the last reply; the complete op died with the socket.
        QVERIFY(std::none_of(uploadOpsSent.cbegin(), uploadOpsSent.cend(),
                             [&](const QJsonObject &o) {
                                 return o[u"op"_s] == u"complete"_s && o[u"ref"_s] == ref;
                             }));
        QCOMPARE(finished.at(0).at(0).toJsonArray(), QJsonArray());
        // ... and the server had the whole file.
        QFile received(QDir(m_server->uploadDirectory()).filePath(ref));
        QVERIFY(received.open(QIODevice::ReadOnly));
        QCOMPARE(received.readAll(), data);
    }
    if (step == "cancel pending"_L1 || step == "cancel unanswered"_L1) {
        QCOMPARE(cancelFinished.count(), 1);
        // A cancelled entry is gone, whether or not the server's cancel op came.
        QCOMPARE(handle->entryModel()->indexOfRef(ref), -1);
    }
    if (external) {
        // The job was told to stop (or had ended by itself).
        QVERIFY(m_uploader.jobs.size() == 1);
        if (step != "upload_error pending"_L1)
            QCOMPARE(m_uploader.cancelled, 1);
    }

    // The root converges; nothing half-written, no sub-channel, no rejoin.
    verifyConverged();
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(handle->status(), settled); // the reconnect did not revive anything
    for (const QString &file : serverFiles())
        QVERIFY2(step == "last chunk answered"_L1 && file == ref, qPrintable(file));
    verifyNoUploadChannel();
    if (!external && step != "preflight pending"_L1 && step != "preflight answered"_L1)
        QCOMPARE(m_uploadJoins.value(kUploadTopic + ref), 1);
    if (step == "preflight answered"_L1)
        QCOMPARE(m_uploadJoins.size(), 0);
    // The new page server knows none of the old entries: neither does the handle.
    QTRY_COMPARE(handle->entryModel()->rowCount(), 0);
    QCOMPARE(handle->activeTransferCount(), 0);
    QVERIFY2(m_census->settlesTo(idle), describe(census()).constData());

    // start() now has nothing left to send: the old tokens died with the socket.
    if (step == "preflight answered"_L1) {
        const MusubiUpload::Status before = handle->status();
        handle->start();
        QCOMPARE(handle->status(), before);
        QCOMPARE(m_uploadJoins.size(), 0);
    }

    // A fresh upload works, and the census is idle again afterwards.
    verifyFreshUpload(handle, external);
    verifyNoUploadChannel();
    QVERIFY2(m_census->settlesTo(idle), describe(census()).constData());
    QVERIFY(handle);
    verifyCleanShutdown();
}

QTEST_GUILESS_MAIN(tst_UploadFaults)
#include "tst_uploadfaults.moc"
