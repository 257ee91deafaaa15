// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi-cli's upload lines (issue contract): `upload`, `cancel_upload` and
// the snapshot's `uploads`, driven as a process against MusubiTestServer.
#include <musubitestserver.h>
#include <musubiteststore.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {
const QString kRoot = u"Test.CliUploads:c1"_s;

class Cli
{
public:
    explicit Cli(const QUrl &url)
    {
        m_process.setProgram(QStringLiteral(MUSUBI_CLI_PATH));
        m_process.setArguments({u"--url"_s, url.toString(), u"--push-timeout-ms"_s, u"3000"_s});
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
    }
    ~Cli()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.closeWriteChannel();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
        }
    }
    void send(const QJsonObject &request)
    {
        m_process.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    }
    //! The next stdout line matching \a predicate (earlier non-matching lines are kept in all()).
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &predicate,
                        int timeout = 10000)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
                [&] {
                    read();
                    for (qsizetype i = m_consumed; i < m_lines.size(); ++i) {
                        if (predicate(m_lines.at(i))) {
                            found = m_lines.at(i);
                            m_consumed = i + 1;
                            return true;
                        }
                    }
                    return false;
                },
                timeout);
        return found;
    }
    QJsonObject waitForType(const QString &type, const QString &stage = {})
    {
        return waitFor([&](const QJsonObject &line) {
            return line.value(u"type"_s).toString() == type
                    && (stage.isEmpty() || line.value(u"stage"_s).toString() == stage);
        });
    }
    QList<QJsonObject> all()
    {
        read();
        return m_lines;
    }
    QString errors() { return QString::fromUtf8(m_process.readAllStandardError()); }
    bool waitForExit()
    {
        return QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 10000);
    }

private:
    void read()
    {
        m_buffer.append(m_process.readAllStandardOutput());
        qsizetype newline;
        while ((newline = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(newline);
            m_buffer.remove(0, newline + 1);
            m_lines.append(QJsonDocument::fromJson(line).object());
        }
    }
    QProcess m_process;
    QByteArray m_buffer;
    QList<QJsonObject> m_lines;
    qsizetype m_consumed = 0;
};
} // namespace

class tst_CliUploads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void channelUpload();
    void startFalseStaysSelecting();
    void preflightErrors();
    void externalScripted_data();
    void externalScripted();
    void externalWithoutUploader();
    void cancelUpload();
    void quitWaitsForUpload();

private:
    std::unique_ptr<Cli> mounted();
    QString file(const QString &name, qint64 size);
    QJsonObject uploadRequest(const QStringList &files, bool start = true) const;

    std::unique_ptr<MusubiTestServer> m_server;
    QTemporaryDir m_dir;
    MusubiTestUploadConfig m_config;
};

void tst_CliUploads::init()
{
    m_config = MusubiTestUploadConfig({}, 2, 100000, 100);
    m_server = std::make_unique<MusubiTestServer>();
    m_server->registerRoot(u"Test.CliUploads"_s, [this](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->declareUpload(u"avatar"_s, m_config);
        return store;
    });
    QVERIFY(m_server->listen());
}

void tst_CliUploads::cleanup()
{
    m_server.reset();
}

std::unique_ptr<Cli> tst_CliUploads::mounted()
{
    auto cli = std::make_unique<Cli>(m_server->url());
    cli->send({{u"op"_s, u"mount"_s},
               {u"module"_s, u"Test.CliUploads"_s},
               {u"instance_id"_s, u"c1"_s}});
    const QJsonObject line = cli->waitForType(u"mounted"_s);
    if (line.value(u"root"_s).toString() != kRoot)
        qWarning() << "mount failed" << cli->all() << cli->errors();
    return cli;
}

QString tst_CliUploads::file(const QString &name, qint64 size)
{
    const QString path = QDir(m_dir.path()).filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write(QByteArray(size, 'z'));
    return path;
}

QJsonObject tst_CliUploads::uploadRequest(const QStringList &files, bool start) const
{
    return {{u"op"_s, u"upload"_s},   {u"tag"_s, u"up"_s},
            {u"root"_s, kRoot},       {u"store_id"_s, QJsonArray()},
            {u"name"_s, u"avatar"_s}, {u"files"_s, QJsonArray::fromStringList(files)},
            {u"start"_s, start}};
}

void tst_CliUploads::channelUpload()
{
    auto cli = mounted();
    cli->send(uploadRequest({file(u"a.png"_s, 250)}));
    const QJsonObject preflight = cli->waitForType(u"upload"_s, u"preflight"_s);
    QCOMPARE(preflight.value(u"tag"_s).toString(), u"up"_s);
    const QJsonArray accepted = preflight.value(u"accepted"_s).toArray();
    QCOMPARE(accepted.size(), 1);
    const QString ref = accepted.at(0)[u"ref"_s].toString();
    QCOMPARE(preflight.value(u"errors"_s).toArray(), QJsonArray());
    const QJsonObject done = cli->waitForType(u"upload"_s, u"done"_s);
    QCOMPARE(done.value(u"status"_s).toString(), u"succeeded"_s);
    QCOMPARE(done.value(u"errors"_s).toArray(), QJsonArray());
    QList<int> progress;
    for (const QJsonObject &line : cli->all()) {
        if (line.value(u"stage"_s).toString() == u"progress"_s) {
            QCOMPARE(line.value(u"ref"_s).toString(), ref);
            QCOMPARE(line.value(u"tag"_s).toString(), u"up"_s);
            progress.append(line.value(u"progress"_s).toInt());
        }
    }
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last(), 100);
    QVERIFY(std::is_sorted(progress.begin(), progress.end()));

    cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, kRoot}});
    QJsonObject snapshot;
    // The complete op may land just after the done line: ask until it shows.
    QVERIFY(QTest::qWaitFor(
            [&] {
                snapshot = cli->waitForType(u"snapshot"_s);
                const QJsonObject entry = snapshot[u"uploads"_s][0][u"entries"_s][0].toObject();
                if (entry.value(u"status"_s).toString() == u"succeeded"_s)
                    return true;
                cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, kRoot}});
                return false;
            },
            5000));
    const QJsonObject handle = snapshot[u"uploads"_s][0].toObject();
    QCOMPARE(handle.value(u"store_id"_s).toArray(), QJsonArray());
    QCOMPARE(handle.value(u"name"_s).toString(), u"avatar"_s);
    QCOMPARE(handle.value(u"status"_s).toString(), u"succeeded"_s);
    QCOMPARE(handle.value(u"errors"_s).toArray(), QJsonArray());
    QCOMPARE(handle.value(u"config"_s).toObject(),
             (QJsonObject{{u"accept"_s, u"any"_s},
                          {u"max_entries"_s, 2},
                          {u"max_file_size"_s, 100000},
                          {u"chunk_size"_s, 100}}));
    const QJsonObject entry = handle[u"entries"_s][0].toObject();
    QCOMPARE(entry.value(u"ref"_s).toString(), ref);
    QCOMPARE(entry.value(u"client_name"_s).toString(), u"a.png"_s);
    QCOMPARE(entry.value(u"client_type"_s).toString(), u"image/png"_s);
    QCOMPARE(entry.value(u"client_size"_s).toInt(), 250);
    QCOMPARE(entry.value(u"progress"_s).toInt(), 100);
    QCOMPARE(QFileInfo(QDir(m_server->uploadDirectory()).filePath(ref)).size(), 250);
}

void tst_CliUploads::startFalseStaysSelecting()
{
    auto cli = mounted();
    int binaries = 0;
    connect(m_server.get(), &MusubiTestServer::binaryFrameReceived, this, [&] { ++binaries; });
    cli->send(uploadRequest({file(u"a.txt"_s, 10)}, false));
    const QJsonObject preflight = cli->waitForType(u"upload"_s, u"preflight"_s);
    QCOMPARE(preflight.value(u"accepted"_s).toArray().size(), 1);
    cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, kRoot}});
    QJsonObject snapshot = cli->waitForType(u"snapshot"_s);
    QCOMPARE(snapshot[u"uploads"_s][0][u"status"_s].toString(), u"selecting"_s);
    QTRY_VERIFY(QTest::qWaitFor([&] {
        cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, kRoot}});
        snapshot = cli->waitForType(u"snapshot"_s);
        return snapshot[u"uploads"_s][0][u"entries"_s][0][u"status"_s].toString() == u"pending"_s;
    }));
    QCOMPARE(binaries, 0);
    for (const QJsonObject &line : cli->all())
        QVERIFY(line.value(u"stage"_s).toString() != u"done"_s);
}

void tst_CliUploads::preflightErrors()
{
    m_config.accept = {u".png"_s};
    m_config.maxFileSize = 50;
    auto cli = mounted();
    cli->send(uploadRequest({file(u"ok.png"_s, 5), file(u"bad.gif"_s, 5), file(u"big.png"_s, 60)}));
    const QJsonObject preflight = cli->waitForType(u"upload"_s, u"preflight"_s);
    QCOMPARE(preflight.value(u"accepted"_s).toArray().size(), 1);
    const QJsonArray errors = preflight.value(u"errors"_s).toArray();
    QCOMPARE(errors.size(), 2);
    QCOMPARE(errors.at(0)[u"client_ref"_s].toString(), u"1"_s);
    QCOMPARE(errors.at(0)[u"name"_s].toString(), u"bad.gif"_s);
    QCOMPARE(errors.at(0)[u"code"_s].toString(), u"not_accepted"_s);
    QCOMPARE(errors.at(0)[u"message"_s].toString(), u"file type is not accepted"_s);
    QCOMPARE(errors.at(1)[u"code"_s].toString(), u"too_large"_s);
    QCOMPARE(cli->waitForType(u"upload"_s, u"done"_s).value(u"status"_s).toString(),
             u"succeeded"_s);
    cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, kRoot}});
    const QJsonArray handleErrors =
            cli->waitForType(u"snapshot"_s)[u"uploads"_s][0][u"errors"_s].toArray();
    QCOMPARE(handleErrors.size(), 2);
    QCOMPARE(handleErrors.at(0).toObject(),
             (QJsonObject{{u"code"_s, u"not_accepted"_s},
                          {u"message"_s, u"file type is not accepted"_s}}));
}

void tst_CliUploads::externalScripted_data()
{
    QTest::addColumn<QJsonObject>("script");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QList<int>>("progress");
    QTest::newRow("succeeded") << QJsonObject{{u"progress"_s, QJsonArray{25, 50.4}},
                                              {u"result"_s, u"succeeded"_s}}
                               << u"succeeded"_s << QList<int>{25, 50, 100};
    QTest::newRow("failed") << QJsonObject{{u"progress"_s, QJsonArray{10}},
                                           {u"result"_s, u"failed"_s},
                                           {u"message"_s, u"PUT 500"_s}}
                            << u"failed"_s << QList<int>{10};
}

void tst_CliUploads::externalScripted()
{
    QFETCH(QJsonObject, script);
    QFETCH(QString, status);
    QFETCH(QList<int>, progress);
    m_config.externalUploader = u"s3"_s;
    m_config.externalMeta = {{u"url"_s, u"https://bucket.example.test/{ref}"_s}};
    auto cli = mounted();
    QList<int> relayed;
    connect(m_server.get(), &MusubiTestServer::messageReceived, this,
            [&](const QString &, const QString &event, const QJsonValue &payload) {
                if (event == u"upload_progress"_s)
                    relayed.append(payload[u"progress"_s].toInt());
            });
    QJsonObject request = uploadRequest({file(u"x.jpg"_s, 7)});
    request.insert(u"uploader"_s, script);
    cli->send(request);
    const QJsonObject preflight = cli->waitForType(u"upload"_s, u"preflight"_s);
    QCOMPARE(preflight[u"accepted"_s][0][u"mode"_s].toString(), u"external"_s);
    QCOMPARE(preflight[u"accepted"_s][0][u"uploader"_s].toString(), u"s3"_s);
    const QJsonObject done = cli->waitForType(u"upload"_s, u"done"_s);
    QCOMPARE(done.value(u"status"_s).toString(), status);
    // The cli's done line can be read before the server has handled the last progress push.
    QTRY_COMPARE(relayed, progress);
    if (status == u"failed"_s) {
        QCOMPARE(done[u"errors"_s][0][u"code"_s].toString(), u"external_failed"_s);
        QCOMPARE(done[u"errors"_s][0][u"message"_s].toString(), u"PUT 500"_s);
    }
    // The snapshot names the entry's status in the same words (the server's error op or
    // complete op may land after the done line).
    QVERIFY(QTest::qWaitFor(
            [&] {
                cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, kRoot}});
                const QJsonObject snapshot = cli->waitForType(u"snapshot"_s);
                const QJsonObject handle = snapshot[u"uploads"_s][0].toObject();
                return handle[u"status"_s].toString() == status
                        && handle[u"entries"_s][0][u"status"_s].toString() == status;
            },
            5000));
}

void tst_CliUploads::externalWithoutUploader()
{
    m_config.externalUploader = u"s3"_s;
    auto cli = mounted();
    QStringList events;
    connect(m_server.get(), &MusubiTestServer::messageReceived, this,
            [&](const QString &, const QString &event, const QJsonValue &) { events << event; });
    cli->send(uploadRequest({file(u"x.jpg"_s, 7)}));
    const QJsonObject done = cli->waitForType(u"upload"_s, u"done"_s);
    QCOMPARE(done.value(u"status"_s).toString(), u"failed"_s);
    QCOMPARE(done[u"errors"_s][0][u"code"_s].toString(), u"no_uploader"_s);
    QVERIFY(!events.contains(u"upload_progress"_s));
    QVERIFY(!events.contains(u"upload_error"_s));
}

void tst_CliUploads::cancelUpload()
{
    auto cli = mounted();
    cli->send(uploadRequest({file(u"a"_s, 1), file(u"b"_s, 1)}, false));
    const QJsonArray accepted =
            cli->waitForType(u"upload"_s, u"preflight"_s)[u"accepted"_s].toArray();
    QCOMPARE(accepted.size(), 2);
    QStringList cancels;
    connect(m_server.get(), &MusubiTestServer::messageReceived, this,
            [&](const QString &, const QString &event, const QJsonValue &payload) {
                if (event == u"cancel_upload"_s)
                    cancels << payload[u"ref"_s].toString();
            });
    cli->send({{u"op"_s, u"cancel_upload"_s},
               {u"tag"_s, u"c"_s},
               {u"root"_s, kRoot},
               {u"store_id"_s, QJsonArray()},
               {u"name"_s, u"avatar"_s},
               {u"ref"_s, accepted.at(1)[u"ref"_s]}});
    QCOMPARE(cli->waitForType(u"upload"_s, u"cancelled"_s).value(u"tag"_s).toString(), u"c"_s);
    QCOMPARE(cancels, QStringList{accepted.at(1)[u"ref"_s].toString()});
    cli->send({{u"op"_s, u"cancel_upload"_s},
               {u"root"_s, kRoot},
               {u"store_id"_s, QJsonArray()},
               {u"name"_s, u"avatar"_s}});
    cli->waitForType(u"upload"_s, u"cancelled"_s);
    QCOMPARE(cancels.size(), 2);
    QCOMPARE(cancels.at(1), accepted.at(0)[u"ref"_s].toString());
    // Unknown handle: an error line, and the tool goes on.
    cli->send({{u"op"_s, u"cancel_upload"_s},
               {u"tag"_s, u"x"_s},
               {u"root"_s, kRoot},
               {u"store_id"_s, QJsonArray()},
               {u"name"_s, u"nope"_s}});
    QCOMPARE(cli->waitForType(u"error"_s).value(u"tag"_s).toString(), u"x"_s);
}

void tst_CliUploads::quitWaitsForUpload()
{
    auto cli = mounted();
    cli->send(uploadRequest({file(u"q.bin"_s, 2000)}));
    cli->send({{u"op"_s, u"quit"_s}});
    QVERIFY(cli->waitForExit());
    const QJsonObject done = cli->waitForType(u"upload"_s, u"done"_s);
    QCOMPARE(done.value(u"status"_s).toString(), u"succeeded"_s);
}

QTEST_GUILESS_MAIN(tst_CliUploads)
#include "tst_cliuploads.moc"
