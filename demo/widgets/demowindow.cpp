// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "demowindow.h"

#include "chatmessagedelegate.h"
#include "counterroot.h"

#include <musubicommanderror.h>
#include <musubiconnection.h>
#include <musubidemotypedstores.h>
#include <musubiinspectorwidget.h>
#include <musubistreammodel.h>

#include <QtCore/QFuture>
#include <QtCore/QPointer>
#include <QtGui/QKeySequence>
#include <QtGui/QShortcut>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

DemoWindow::DemoWindow(MusubiConnection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_counter(new CounterRoot(connection, u"widgets"_s, this))
    , m_chat(new Demo::ChatStoreRoot(connection, u"lobby"_s, Demo::ChatStoreParams{}, this))
    , m_status(new QLabel(this))
    , m_count(new QLabel(u"–"_s, this))
    , m_messages(new QListView(this))
    , m_input(new QLineEdit(this))
    , m_send(new QPushButton(tr("Send"), this))
{
    setWindowTitle(tr("Musubi widgets demo"));

    m_status->setObjectName(u"status"_s);
    m_status->setMargin(6);
    m_status->setAutoFillBackground(true);

    // Counter: a label bound to the typed signal, buttons calling typed methods.
    auto *counterBox = new QGroupBox(tr("Counter  (Demo.CounterStore)"), this);
    m_count->setObjectName(u"countLabel"_s);
    m_count->setAlignment(Qt::AlignCenter);
    QFont countFont = m_count->font();
    countFont.setPointSize(countFont.pointSize() * 3);
    countFont.setBold(true);
    m_count->setFont(countFont);
    auto *buttons = new QHBoxLayout;
    const struct
    {
        const char *objectName;
        QString text;
        int amount;
    } steps[] = {{"decrementButton", u"−1"_s, -1},
                 {"incrementButton", u"+1"_s, 1},
                 {"incrementTenButton", u"+10"_s, 10}};
    for (const auto &step : steps) {
        auto *button = new QPushButton(step.text, counterBox);
        button->setObjectName(QLatin1String(step.objectName));
        connect(button, &QPushButton::clicked, m_counter,
                [this, amount = step.amount] { m_counter->increment(amount); });
        buttons->addWidget(button);
    }
    auto *reset = new QPushButton(tr("Reset"), counterBox);
    reset->setObjectName(u"resetButton"_s);
    connect(reset, &QPushButton::clicked, m_counter, &CounterRoot::reset);
    buttons->addWidget(reset);
    auto *counterLayout = new QVBoxLayout(counterBox);
    counterLayout->addWidget(m_count);
    counterLayout->addLayout(buttons);
    connect(m_counter, &CounterRoot::countChanged, m_count,
            [this](int count) { m_count->setNum(count); });

    // Chat: the stream model straight into a QListView.
    auto *chatBox = new QGroupBox(tr("Chat  (Demo.ChatStore, stream \"messages\")"), this);
    m_messages->setObjectName(u"chatView"_s);
    m_messages->setItemDelegate(new ChatMessageDelegate(m_messages));
    m_messages->setWordWrap(true);
    m_messages->setUniformItemSizes(false);
    m_input->setObjectName(u"messageInput"_s);
    m_input->setPlaceholderText(tr("Say something…"));
    m_send->setObjectName(u"sendButton"_s);
    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_send);
    auto *chatLayout = new QVBoxLayout(chatBox);
    chatLayout->addWidget(m_messages, 1);
    chatLayout->addLayout(inputRow);
    connect(m_send, &QPushButton::clicked, this, &DemoWindow::sendMessage);
    connect(m_input, &QLineEdit::returnPressed, this, &DemoWindow::sendMessage);
    connect(m_chat, &Demo::ChatStoreRoot::stateChanged, this, &DemoWindow::followChat);

    // The Musubi Inspector in a window of its own: F12 or the button.
    auto *inspectorButton = new QPushButton(tr("Inspector"), this);
    inspectorButton->setObjectName(u"inspectorButton"_s);
    inspectorButton->setToolTip(tr("Musubi Inspector: roots, store tree, envelopes, commands, "
                                   "events (F12)"));
    connect(inspectorButton, &QPushButton::clicked, this, &DemoWindow::toggleInspector);
    auto *f12 = new QShortcut(QKeySequence(Qt::Key_F12), this);
    connect(f12, &QShortcut::activated, this, &DemoWindow::toggleInspector);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(inspectorButton);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(statusRow);
    layout->addWidget(counterBox);
    layout->addWidget(chatBox, 1);

    connect(m_connection, &MusubiConnection::statusChanged, this, &DemoWindow::updateStatus);
    connect(m_counter, &MusubiRoot::statusChanged, this, &DemoWindow::updateStatus);
    connect(m_chat, &MusubiRoot::statusChanged, this, &DemoWindow::updateStatus);
    connect(m_counter, &CounterRoot::commandFailed, m_status, [this](const QString &message) {
        m_status->setText(tr("Command failed: %1").arg(message));
    });
    updateStatus();

    resize(480, 560);
    m_counter->mount();
    m_chat->mount();
}

DemoWindow::~DemoWindow() = default;

MusubiInspectorWidget *DemoWindow::inspector() const
{
    return findChild<MusubiInspectorWidget *>(u"musubiInspectorWindow"_s,
                                              Qt::FindDirectChildrenOnly);
}

void DemoWindow::toggleInspector()
{
    MusubiInspectorWidget::toggleWindow(m_connection, this);
}

bool DemoWindow::isReady() const
{
    return m_ready;
}

void DemoWindow::updateStatus()
{
    QString text;
    QColor color;
    const auto live = [](const MusubiRoot *root) {
        return root->status() == MusubiRoot::Status::Live;
    };
    if (m_counter->status() == MusubiRoot::Status::Failed
        || m_chat->status() == MusubiRoot::Status::Failed) {
        const QString why = m_counter->errorString().isEmpty() ? m_chat->errorString()
                                                               : m_counter->errorString();
        text = tr("Failed: %1").arg(why);
        color = QColor(0xb3, 0x26, 0x1e);
    } else if (m_connection->status() == MusubiConnection::Status::Unauthorized) {
        // The server refused the credentials: nothing is retried until open().
        text = tr("Not authorized: %1").arg(m_connection->errorString());
        color = QColor(0xb3, 0x26, 0x1e);
    } else if (m_connection->status() == MusubiConnection::Status::Reconnecting) {
        text = tr("Reconnecting… showing the last known data");
        color = QColor(0x8a, 0x6d, 0x00);
    } else if (live(m_counter) && live(m_chat)) {
        m_count->setNum(m_counter->count());
        const QString profile =
                m_connection->activeProtocol() == MusubiConnection::Protocol::SharedChannel
                ? tr("shared channel")
                : tr("per-root channels");
        text = tr("Live · %1 · %2").arg(m_connection->url().toDisplayString(), profile);
        color = QColor(0x2e, 0x7d, 0x32);
    } else {
        text = tr("Connecting to %1…").arg(m_connection->url().toDisplayString());
        color = QColor(0x3d, 0x5a, 0x80);
    }
    m_status->setText(text);
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::Window, color);
    palette.setColor(QPalette::WindowText, Qt::white);
    m_status->setPalette(palette);
    attachChatModel();
}

// The typed view of the chat's root store is a new object when the root store
// changes identity (first state, remount): follow its field and its push event.
void DemoWindow::followChat()
{
    if (Demo::ChatStore *chat = m_chat->state()) {
        connect(chat, &Demo::ChatStore::messagesChanged, this, &DemoWindow::attachChatModel,
                Qt::UniqueConnection);
        connect(chat, &Demo::ChatStore::messageSent, m_messages, &QListView::scrollToBottom,
                Qt::UniqueConnection);
    }
    attachChatModel();
}

void DemoWindow::attachChatModel()
{
    MusubiStreamModel *model = m_chat->state() ? m_chat->state()->messages() : nullptr;
    if (model && m_messages->model() != model) {
        m_messages->setModel(model);
        m_messages->scrollToBottom();
    }
    const bool ready = m_counter->status() == MusubiRoot::Status::Live
            && m_chat->status() == MusubiRoot::Status::Live && m_messages->model() == model
            && model;
    if (ready != m_ready) {
        m_ready = ready;
        if (m_ready)
            Q_EMIT this->ready();
    }
}

void DemoWindow::sendMessage()
{
    Demo::ChatStore *chat = m_chat->state();
    if (!chat) {
        m_status->setText(tr("Not sent: %1").arg(tr("the chat is not live")));
        return;
    }
    m_send->setEnabled(false);
    QPointer<DemoWindow> self(this);
    chat->send(m_input->text(), u"widgets"_s)
            .then(this,
                  [self](const Demo::ChatStore::SendReply &) {
                      if (self) {
                          self->m_input->clear();
                          self->m_send->setEnabled(true);
                      }
                  })
            .onFailed(this, [self](const MusubiCommandError &error) {
                if (self) {
                    self->m_status->setText(
                            self->tr("Not sent: %1")
                                    .arg(error.code().isEmpty() ? error.message() : error.code()));
                    self->m_send->setEnabled(true);
                }
            });
}
