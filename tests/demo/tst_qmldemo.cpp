// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The QML demo: Main.qml against the embedded demo stores renders every page,
// the counter follows an increment, the chat sends and toasts; the
// executable's headless options (--screenshot, --quit-after, --page); and the
// offline start (--no-server with the disk cache of an earlier run).

#include "demoprocess.h"
#include "demotestutil.h"

#include <musubiconnection.h>
#include <musubidemostores.h>
#include <musubistore.h>
#include <musubistorelistmodel.h>
#include <musubitestserver.h>
#include <musubiteststore.h>
#include <musubitrace.h>
#include <musubitypedstore.h>
#include <musubiupload.h>
#include <musubiuploadentrymodel.h>

#include <QtCore/QDir>
#include <QtCore/QPointer>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

class tst_QmlDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void pages();
    void counter();
    void chat();
    void todosKeepTheirDelegates();
    void avatarUpload();
    void reconnectWithProfile();
    void inspector();
    void executable_data();
    void executable();
    void offlineStart();

private:
    QQuickItem *item(const QString &objectName) const;
    QImage grab() const;
    void click(const QString &objectName);

    std::unique_ptr<MusubiTestServer> m_server;
    std::unique_ptr<QTemporaryDir> m_cacheDir;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QQuickWindow *m_window = nullptr;
};

void tst_QmlDemo::initTestCase()
{
    QQuickStyle::setStyle(u"Fusion"_s);
}

void tst_QmlDemo::init()
{
    m_server = std::make_unique<MusubiTestServer>();
    registerDemoStores(m_server.get());
    QVERIFY(m_server->listen());
    // Each test starts without saved state, and leaves none in the user's cache directory.
    m_cacheDir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_cacheDir->isValid());
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(QStringLiteral(MUSUBI_QML_BUILD_DIR));
    m_engine->setInitialProperties({{u"serverUrl"_s, m_server->url().toString()},
                                    {u"protocol"_s, int(MusubiConnection::Protocol::Auto)},
                                    {u"cacheDirectory"_s, m_cacheDir->path()}});
    // The same Main.qml the executable loads from its resources.
    m_engine->load(QUrl::fromLocalFile(QStringLiteral(MUSUBI_DEMO_QML_DIR "/Main.qml")));
    QCOMPARE(m_engine->rootObjects().size(), 1);
    m_window = qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    QVERIFY(m_window);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
}

void tst_QmlDemo::cleanup()
{
    m_window = nullptr;
    m_engine.reset();
    m_server.reset();
    m_cacheDir.reset();
}

QQuickItem *tst_QmlDemo::item(const QString &objectName) const
{
    return m_window->findChild<QQuickItem *>(objectName);
}

QImage tst_QmlDemo::grab() const
{
    return m_window->grabWindow();
}

void tst_QmlDemo::click(const QString &objectName)
{
    QQuickItem *target = item(objectName);
    QVERIFY2(target, qPrintable(objectName));
    QTRY_VERIFY(target->isEnabled());
    const QPointF center = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
    QTest::mouseClick(m_window, Qt::LeftButton, {}, center.toPoint());
}

void tst_QmlDemo::pages()
{
    QObject *tabs = m_window->findChild<QObject *>(u"pageTabs"_s);
    QVERIFY(tabs);
    QList<QImage> shots;
    for (int page = 0; page < 4; ++page) {
        tabs->setProperty("currentIndex", page);
        QTRY_VERIFY2(m_window->property("currentPageReady").toBool(),
                     qPrintable(u"page %1 not ready"_s.arg(page)));
        QImage shot;
        // The page is ready when its data is bound; let the scene graph catch up.
        QTRY_VERIFY(DemoTest::isRendered(shot = grab()));
        for (const QImage &other : std::as_const(shots))
            QVERIFY2(shot != other, qPrintable(u"page %1 looks like another page"_s.arg(page)));
        shots.append(shot);
    }
}

void tst_QmlDemo::counter()
{
    QTRY_VERIFY(m_window->property("currentPageReady").toBool());
    QQuickItem *label = item(u"countLabel"_s);
    QVERIFY(label);
    QTRY_COMPARE(label->property("text").toString(), u"0"_s);
    const QImage before = grab();
    QVERIFY(DemoTest::isRendered(before));
    click(u"incrementButton"_s);
    QTRY_COMPARE(label->property("text").toString(), u"1"_s);
    QTRY_VERIFY(grab() != before);
    click(u"incrementButton"_s);
    QTRY_COMPARE(label->property("text").toString(), u"2"_s);
    click(u"resetButton"_s);
    QTRY_COMPARE(label->property("text").toString(), u"0"_s);
}

void tst_QmlDemo::chat()
{
    QObject *tabs = m_window->findChild<QObject *>(u"pageTabs"_s);
    QVERIFY(tabs);
    tabs->setProperty("currentIndex", 1);
    QTRY_VERIFY(m_window->property("currentPageReady").toBool());
    QQuickItem *list = item(u"messageList"_s);
    QVERIFY(list);
    QCOMPARE(list->property("count").toInt(), 2);
    QQuickItem *input = item(u"messageInput"_s);
    QVERIFY(input);
    input->setProperty("text", u"hello from a test"_s);
    click(u"sendButton"_s);
    QTRY_COMPARE(list->property("count").toInt(), 3);
    QTRY_COMPARE(input->property("text").toString(), QString());
    // The message_sent push event shows a toast.
    QQuickItem *toast = item(u"toastLabel"_s);
    QVERIFY(toast);
    QTRY_COMPARE(toast->property("text").toString(), u"Message msg-3 sent"_s);
}

// The todos field is a MusubiTypedStoreListModel: adding or removing one todo inserts or
// removes one row, and the delegates of the other rows are the same objects before and after.
void tst_QmlDemo::todosKeepTheirDelegates()
{
    QObject *tabs = m_window->findChild<QObject *>(u"pageTabs"_s);
    QVERIFY(tabs);
    tabs->setProperty("currentIndex", 2);
    QTRY_VERIFY(m_window->property("currentPageReady").toBool());
    QQuickItem *list = item(u"todoList"_s);
    QVERIFY(list);
    auto *model =
            qobject_cast<MusubiTypedStoreListModel *>(list->property("model").value<QObject *>());
    QVERIFY(model);
    QTRY_COMPARE(model->count(), 3);
    QTRY_COMPARE(item(u"todoCount"_s)->property("text").toString(), u"3 todos"_s);
    // The delegate of each row, by the store id of its todo.
    const auto delegates = [list] {
        QHash<QString, QPointer<QQuickItem>> out;
        const int count = list->property("count").toInt();
        for (int row = 0; row < count; ++row) {
            QQuickItem *delegate = nullptr;
            QMetaObject::invokeMethod(list, "itemAtIndex", Q_RETURN_ARG(QQuickItem *, delegate),
                                      Q_ARG(int, row));
            auto *todo = delegate ? qobject_cast<MusubiTypedStore *>(
                                 delegate->property("todo").value<QObject *>())
                                  : nullptr;
            if (todo && todo->store())
                out.insert(todo->store()->storeIdList().join(u'/'), delegate);
        }
        return out;
    };
    QTRY_COMPARE(delegates().size(), 3);
    const auto before = delegates();

    // Add one: a row is inserted, the three delegates stay.
    QQuickItem *title = item(u"newTodo"_s);
    QVERIFY(title);
    title->setProperty("text", u"Water the plants"_s);
    title->forceActiveFocus();
    QTest::keyClick(m_window, Qt::Key_Return);
    QTRY_COMPARE(model->count(), 4);
    QTRY_COMPARE(item(u"todoCount"_s)->property("text").toString(), u"4 todos"_s);
    QTRY_COMPARE(delegates().size(), 4);
    auto after = delegates();
    for (auto it = before.constBegin(); it != before.constEnd(); ++it) {
        QVERIFY2(it.value(), qPrintable(it.key()));
        QCOMPARE(after.value(it.key()).data(), it.value().data());
    }

    // Remove the first through its own store: its delegate goes, the others stay.
    MusubiTypedStore *first = model->get(0);
    QVERIFY(first && first->store());
    const QString gone = first->store()->storeIdList().join(u'/');
    first->store()->dispatch(u"remove"_s);
    QTRY_COMPARE(model->count(), 3);
    QTRY_COMPARE(delegates().size(), 3);
    after = delegates();
    QVERIFY(!after.contains(gone));
    for (auto it = before.constBegin(); it != before.constEnd(); ++it) {
        if (it.key() == gone)
            continue;
        QVERIFY2(it.value(), qPrintable(it.key()));
        QCOMPARE(after.value(it.key()).data(), it.value().data());
    }
    QTRY_COMPARE(item(u"todoCount"_s)->property("text").toString(), u"3 todos"_s);
}

void tst_QmlDemo::avatarUpload()
{
    QObject *tabs = m_window->findChild<QObject *>(u"pageTabs"_s);
    QVERIFY(tabs);
    tabs->setProperty("currentIndex", 3);
    QTRY_VERIFY(m_window->property("currentPageReady").toBool());
    QObject *page = m_window->findChild<QObject *>(u"profilePage"_s);
    QVERIFY(page);
    auto *avatar = qobject_cast<MusubiUpload *>(page->property("avatar").value<QObject *>());
    QVERIFY(avatar);

    // What the FileDialog hands over: a list of file URLs.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"me.png"_s);
    QImage picture(64, 64, QImage::Format_RGB32);
    picture.fill(Qt::darkCyan);
    QVERIFY(picture.save(path, "PNG"));
    avatar->select(QVariantList{QUrl::fromLocalFile(path)});
    QTRY_COMPARE(avatar->entryModel()->count(), 1);
    click(u"uploadButton"_s);
    QTRY_COMPARE(avatar->status(), MusubiUpload::Status::Succeeded);
    QTRY_COMPARE(
            avatar->entryModel()
                    ->data(avatar->entryModel()->index(0, 0), MusubiUploadEntryModel::ProgressRole)
                    .toInt(),
            100);
    // The delegate compares the status role with MusubiUploadEntry.Succeeded. Repeater
    // delegates are visual children only: search the item tree.
    const auto findVisual = [](QQuickItem *from, const QString &name) {
        QList<QQuickItem *> queue{from};
        while (!queue.isEmpty()) {
            QQuickItem *next = queue.takeFirst();
            if (next->objectName() == name)
                return next;
            queue.append(next->childItems());
        }
        return static_cast<QQuickItem *>(nullptr);
    };
    QTRY_VERIFY(findVisual(m_window->contentItem(), u"avatarEntryStatus"_s));
    QTRY_COMPARE(findVisual(m_window->contentItem(), u"avatarEntryStatus"_s)
                         ->property("text")
                         .toString(),
                 u"uploaded"_s);

    // save consumes the upload: avatar_url points at the received file.
    click(u"saveButton"_s);
    QQuickItem *saved = item(u"savedLabel"_s);
    QVERIFY(saved);
    QTRY_VERIFY(saved->property("text").toString().startsWith(u"Saved at"_s));
    QTRY_COMPARE(avatar->entryModel()->count(), 0);
}

void tst_QmlDemo::reconnectWithProfile()
{
    QQuickItem *status = item(u"connectionStatus"_s);
    QVERIFY(status);
    QTRY_COMPARE(status->property("text").toString(), u"Connected · shared channel"_s);
    QTRY_VERIFY(m_window->property("currentPageReady").toBool());

    // Choose "Per-root (0.12+)" and press Connect: the connection reopens
    // with the other profile and the page mounts again.
    QQuickItem *protocol = item(u"protocolBox"_s);
    QVERIFY(protocol);
    protocol->setProperty("currentIndex", 2);
    click(u"connectButton"_s);
    QTRY_COMPARE(status->property("text").toString(), u"Connected · per-root channels"_s);
    // The socket is connected before the page's root joins its own channel, and the page
    // stays ready through the reconnect (MusubiRoot.ready): wait for the join itself.
    QTRY_VERIFY(m_server->joinedTopics().contains(u"musubi:connection:Demo.CounterStore:qml"_s));
    QTRY_VERIFY(m_window->property("currentPageReady").toBool());
    QTRY_COMPARE(item(u"countLabel"_s)->property("text").toString(), u"0"_s);
}

// F12 and the toolbar button toggle the inspector docked below the pages; it inspects the
// demo's connection and logs the commands the page sends.
void tst_QmlDemo::inspector()
{
    QTRY_VERIFY(m_window->property("currentPageReady").toBool());
    QVERIFY(!item(u"musubiInspector"_s));
    QTest::keyClick(m_window, Qt::Key_F12);
    QTRY_VERIFY(item(u"musubiInspector"_s));
    QQuickItem *panel = item(u"musubiInspector"_s);
    QVERIFY(panel->isVisible());
    QTRY_VERIFY(panel->height() > 100);
    auto *connection = panel->property("connection").value<MusubiConnection *>();
    QVERIFY(connection);
    QVERIFY(connection->trace()->isListening());
    QCOMPARE(item(u"inspectorButton"_s)->property("checked").toBool(), true);

    // The panel's command log (MusubiInspector.session.commands).
    auto *session = qvariant_cast<QObject *>(panel->property("session"));
    QVERIFY(session);
    auto *commands = qvariant_cast<QObject *>(session->property("commands"));
    QVERIFY(commands);
    const int before = commands->property("count").toInt();
    click(u"incrementButton"_s);
    QTRY_COMPARE(commands->property("count").toInt(), before + 1);

    // The button closes it; nothing listens to the trace any more.
    click(u"inspectorButton"_s);
    QTRY_VERIFY(!item(u"musubiInspector"_s));
    QTRY_VERIFY(!connection->trace()->isListening());
    QCOMPARE(m_window->property("inspectorVisible").toBool(), false);
}

void tst_QmlDemo::executable_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("screenshot");
    QTest::newRow("--quit-after") << QStringList{u"--quit-after"_s, u"500"_s} << false;
    for (const QString &page : {u"counter"_s, u"chat"_s, u"todos"_s, u"profile"_s}) {
        QTest::addRow("--screenshot --page %s", qPrintable(page))
                << QStringList{u"--page"_s, page, u"--quit-after"_s, u"30000"_s} << true;
    }
    QTest::newRow("--screenshot --protocol per-root")
            << QStringList{u"--protocol"_s, u"per-root"_s, u"--quit-after"_s, u"30000"_s} << true;
    QTest::newRow("--screenshot --inspector")
            << QStringList{u"--inspector"_s, u"--page"_s, u"todos"_s, u"--quit-after"_s, u"30000"_s}
            << true;
}

void tst_QmlDemo::executable()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, screenshot);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(u"demo.png"_s);
    if (screenshot)
        arguments << u"--screenshot"_s << png;
    arguments << u"--cache-dir"_s << dir.filePath(u"cache"_s);
    const auto result = DemoTest::runDemo(QStringLiteral(MUSUBI_QML_DEMO), arguments);
    QVERIFY2(result.finished, result.output.constData());
    QCOMPARE(result.status, QProcess::NormalExit);
    QVERIFY2(result.exitCode == 0, result.output.constData());
    if (screenshot)
        QVERIFY2(DemoTest::isRendered(QImage(png)), result.output.constData());
}

namespace {

// A port nothing listens on: one the system just handed out and took back.
int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    const int port = probe.serverPort();
    probe.close();
    return port;
}

// The demo stores, with the counter of the QML demo at \a count when it mounts.
void serveDemoStores(MusubiTestServer *server, int count)
{
    registerDemoStores(server);
    // Emitted before the initial patch goes out, so the demo's first state has the count.
    QObject::connect(server, &MusubiTestServer::rootMounted, server,
                     [count](const QString &rootId, MusubiTestStore *root) {
                         if (rootId == u"Demo.CounterStore:qml"_s)
                             root->setValue(u"count"_s, count);
                     });
}

// The demo executable, run while the test's event loop (and its servers) keep going.
struct DemoRun
{
    QProcess process;

    void start(const QStringList &arguments)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(QStringLiteral(MUSUBI_QML_DEMO), arguments);
    }
    QString output()
    {
        m_output += QString::fromUtf8(process.readAll());
        return m_output;
    }
    // The first line of output starting with \a prefix, or an empty string.
    QString line(const QString &prefix)
    {
        const QStringList lines = output().split(u'\n');
        for (const QString &line : lines) {
            if (line.startsWith(prefix))
                return line;
        }
        return {};
    }
    ~DemoRun()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }

private:
    QString m_output;
};

} // namespace

// The offline start (docs/cache.md): a first run saves the pages' state in its disk cache
// and exits; a run with --no-server shows that state at once, with the banner saying so,
// and goes live when a server comes up on its port.
void tst_QmlDemo::offlineStart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cacheDir = dir.filePath(u"cache"_s);

    // First run: the counter stands at 42; --screenshot exits once the page is live, and
    // the cache is written on the way out.
    {
        MusubiTestServer server;
        serveDemoStores(&server, 42);
        QVERIFY(server.listen());
        DemoRun first;
        first.start({u"--url"_s, server.url().toString(), u"--cache-dir"_s, cacheDir,
                     u"--screenshot"_s, dir.filePath(u"first.png"_s), u"--quit-after"_s,
                     u"30000"_s});
        QVERIFY2(first.process.waitForStarted(10000), qPrintable(first.process.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(first.process.state() == QProcess::NotRunning, 60000);
        QCOMPARE(first.process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(first.process.exitCode() == 0, qPrintable(first.output()));
    }
    QVERIFY(!QDir(cacheDir).entryList({u"*.mcache"_s}, QDir::Files).isEmpty());

    // Second run: nothing listens on its port yet.
    const int port = freePort();
    QVERIFY(port > 0);
    DemoRun second;
    second.start({u"--no-server"_s, u"--port"_s, QString::number(port), u"--cache-dir"_s, cacheDir,
                  u"--report-startup"_s, u"--quit-after"_s, u"120000"_s});
    QVERIFY2(second.process.waitForStarted(10000), qPrintable(second.process.errorString()));
    const QString savedPrefix = u"startup: saved data on screen after "_s;
    QTRY_VERIFY2_WITH_TIMEOUT(!second.line(savedPrefix).isEmpty(), qPrintable(second.output()),
                              30000);
    QVERIFY2(second.line(savedPrefix).endsWith(u": count 42 | offline — showing saved data"_s),
             qPrintable(second.output()));
    QVERIFY2(second.line(u"startup: live data on screen"_s).isEmpty(), qPrintable(second.output()));

    // The server comes up on that port, its counter at 7: the demo reconnects (its backoff
    // is at most about 6 s by now) and shows the live count, the banner gone.
    MusubiTestServer server;
    serveDemoStores(&server, 7);
    QVERIFY(server.listen(port));
    const QString livePrefix = u"startup: live data on screen after "_s;
    QTRY_VERIFY2_WITH_TIMEOUT(!second.line(livePrefix).isEmpty(), qPrintable(second.output()),
                              30000);
    QVERIFY2(second.line(livePrefix).endsWith(u": count 7"_s), qPrintable(second.output()));
}

QTEST_MAIN(tst_QmlDemo)
#include "tst_qmldemo.moc"
